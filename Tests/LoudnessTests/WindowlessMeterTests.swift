import Foundation
import Loudness
import Testing

/// The fast meter mode used by mastering passes (no 10 ms window evaluation) gives the same integrated loudness
/// and peaks as the full meter, bit for bit.
@Suite struct WindowlessMeterTests {
    @Test func sameIntegratedAndPeaks() throws {
        let rate = 48000, frames = rate * 12
        var state: UInt64 = 7
        var left = [Float](repeating: 0, count: frames), right = left
        for i in 0..<frames {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23) * 0.1
            let envelope = Float(0.5 + 0.5 * sin(Double(i) / Double(rate) * 1.3))
            left[i] = envelope * (0.3 * Float(sin(Double(i) * 0.05)) + noise)
            right[i] = envelope * (0.2 * Float(sin(Double(i) * 0.031)) - noise)
        }
        let full = try LoudnessMeter(channels: 2, sampleRate: rate)
        let fast = try LoudnessMeter(channels: 2, sampleRate: rate, windows: false)
        left.withUnsafeBufferPointer { l in
            right.withUnsafeBufferPointer { r in
                full.add([l.baseAddress!, r.baseAddress!], frames: frames)
                fast.add([l.baseAddress!, r.baseAddress!], frames: frames)
            }
        }
        let a = full.measurement(), b = fast.measurement()
        #expect(a.integratedLUFS == b.integratedLUFS)
        #expect(a.truePeakDBTP == b.truePeakDBTP)
        #expect(a.samplePeakDBFS == b.samplePeakDBFS)
        #expect(b.momentaryMaxLUFS == -.infinity && b.loudnessRangeLU == 0)
        #expect(a.momentaryMaxLUFS.isFinite)
    }
}
