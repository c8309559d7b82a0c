import Foundation
import Loudness
import Testing
import TestSupport

/// A stereo programme with level changes, silence and transients: tone, noise, a gap and a loud burst.
private func programme(sampleRate: Int, seconds: Double) -> [[Float]] {
    let frames = Int(seconds * Double(sampleRate))
    let tone = EBUSignals.tone([.init(-18, seconds)], sampleRate: sampleRate, frequency: 440)
    let left = TestAudio.noise(frames: frames, amplitude: 0.2, seed: 3)
    let right = TestAudio.noise(frames: frames, amplitude: 0.1, seed: 4)
    var channels = [[Float]](repeating: [Float](repeating: 0, count: frames), count: 2)
    for i in 0..<frames {
        let gap = (i / (sampleRate / 2)) % 5 == 3  // 0.5 s of silence every 2.5 s
        let gain: Float = gap ? 0 : (i % sampleRate < sampleRate / 10 ? 1.5 : 0.6)
        channels[0][i] = gain * (tone[i] + left[i])
        channels[1][i] = gain * (tone[i] - right[i])
    }
    return channels
}

/// Calls `body` with a pointer to frame `offset` of every channel, valid only inside `body`.
private func withPlanarPointers(_ channels: [[Float]], offset: Int, _ body: ([UnsafePointer<Float>]) -> Void) {
    func nest(_ index: Int, _ pointers: [UnsafePointer<Float>]) {
        guard index < channels.count else { return body(pointers) }
        channels[index].withUnsafeBufferPointer { nest(index + 1, pointers + [$0.baseAddress! + offset]) }
    }
    nest(0, [])
}

private func measure(_ channels: [[Float]], sampleRate: Int, blocks: [Int], interleaved: Bool,
                     truePeak: Bool = true) throws -> LoudnessMeasurement {
    let meter = try LoudnessMeter(channels: channels.count, sampleRate: sampleRate, truePeak: truePeak)
    let frames = channels[0].count
    let packed = (0..<frames * channels.count).map { channels[$0 % channels.count][$0 / channels.count] }
    var start = 0, block = 0
    while start < frames {
        let count = min(blocks[block % blocks.count], frames - start)
        if interleaved {
            packed.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress! + start * channels.count, frames: count) }
        } else {
            withPlanarPointers(channels, offset: start) { meter.add($0, frames: count) }
        }
        start += count
        block += 1
    }
    return meter.measurement()
}

@Suite("LoudnessMeter")
struct LoudnessMeterTests {
    @Test("every result is bit-identical for any block size, planar or interleaved", arguments: [44_100, 48_000])
    func blockSizeInvariance(rate: Int) throws {
        let signal = programme(sampleRate: rate, seconds: 6)
        let reference = try measure(signal, sampleRate: rate, blocks: [signal[0].count], interleaved: true)
        var generator = SplitMix(seed: 7)
        let random = (0..<200).map { _ in Int(generator.next() % 9000) + 1 }
        for blocks in [[1], [64], [65], [512], [8193], [4800], random] {
            for interleaved in [true, false] {
                let m = try measure(signal, sampleRate: rate, blocks: blocks, interleaved: interleaved)
                #expect(m == reference, "blocks \(blocks.prefix(3)), interleaved \(interleaved)")
            }
        }
        #expect(reference.integratedLUFS.isFinite && reference.loudnessRangeLU > 0)
        #expect(reference.truePeakDBTP >= reference.samplePeakDBFS)
    }

    @Test("measurement() can be read mid-stream without changing the result")
    func measurementIsPure() throws {
        let signal = programme(sampleRate: 48_000, seconds: 5)
        let meter = try LoudnessMeter(channels: 2, sampleRate: 48_000)
        var readings: [LoudnessMeasurement] = []
        for start in stride(from: 0, to: signal[0].count, by: 12_345) {
            let count = min(12_345, signal[0].count - start)
            withPlanarPointers(signal, offset: start) { meter.add($0, frames: count) }
            readings.append(meter.measurement())
        }
        #expect(meter.measurement() == readings.last)
        #expect(readings.last == (try measure(signal, sampleRate: 48_000, blocks: [1 << 20], interleaved: false)))
        #expect(meter.framesAdded == Int64(signal[0].count))
    }

    @Test("Tech 3341 test 9: the short-term loudness stays at −23 after the first 3 s", arguments: [44_100, 48_000])
    func shortTermIsConstant(rate: Int) throws {
        let pattern = Array(repeating: [EBUSignals.Segment(-20, 1.34), .init(-30, 1.66)], count: 5).flatMap { $0 }
        let tone = EBUSignals.tone(pattern, sampleRate: rate)
        let meter = try LoudnessMeter(channels: 2, sampleRate: rate)
        let hop = rate / 10
        var checked = 0
        for start in stride(from: 0, to: tone.count - hop + 1, by: hop) {
            tone.withUnsafeBufferPointer { meter.add([$0.baseAddress! + start, $0.baseAddress! + start], frames: hop) }
            guard meter.framesAdded >= 3 * Int64(rate) else { continue }
            #expect(abs(meter.lastShortTermLUFS + 23) <= 0.1, "S at \(meter.framesAdded) frames: \(meter.lastShortTermLUFS)")
            checked += 1
        }
        #expect(checked == 121)
    }

    @Test("Tech 3341 test 12: the momentary loudness stays at −23 after 1 s, at every 10 ms step",
          arguments: [44_100, 48_000])
    func momentaryIsConstant(rate: Int) throws {
        let pattern = Array(repeating: [EBUSignals.Segment(-20, 0.18), .init(-30, 0.22)], count: 25).flatMap { $0 }
        let tone = EBUSignals.tone(pattern, sampleRate: rate)
        let meter = try LoudnessMeter(channels: 2, sampleRate: rate)
        let step = rate / 100
        for start in stride(from: 0, to: tone.count - step + 1, by: step) {
            tone.withUnsafeBufferPointer { meter.add([$0.baseAddress! + start, $0.baseAddress! + start], frames: step) }
            guard meter.framesAdded >= Int64(rate) else { continue }
            #expect(abs(meter.lastMomentaryLUFS + 23) <= 0.1, "M at \(meter.framesAdded) frames: \(meter.lastMomentaryLUFS)")
        }
    }

    @Test("mono is one channel of weight 1.0 (no dual-mono): 3.01 LU below the same signal on two channels")
    func monoWeighting() throws {
        let tone = EBUSignals.tone([.init(-20, 5)], sampleRate: 48_000)
        let mono = try measure([tone], sampleRate: 48_000, blocks: [4096], interleaved: false)
        let stereo = try measure([tone, tone], sampleRate: 48_000, blocks: [4096], interleaved: false)
        #expect(abs(stereo.integratedLUFS + 20) <= 0.05)
        #expect(abs(stereo.integratedLUFS - mono.integratedLUFS - 10 * log10(2)) < 1e-6)
        #expect(mono.samplePeakDBFS == stereo.samplePeakDBFS)
    }

    @Test("5.1 channel map: the fourth channel (LFE) is not measured, surrounds weigh 1.41")
    func surroundMap() throws {
        let tone = EBUSignals.tone([.init(-20, 4)], sampleRate: 48_000)
        let silence = [Float](repeating: 0, count: tone.count)
        let left = try measure([tone, silence, silence, silence, silence, silence], sampleRate: 48_000, blocks: [999],
                               interleaved: false)
        let lfe = try measure([silence, silence, silence, tone, silence, silence], sampleRate: 48_000, blocks: [999],
                              interleaved: false)
        let surround = try measure([silence, silence, silence, silence, tone, silence], sampleRate: 48_000,
                                   blocks: [999], interleaved: false)
        #expect(lfe.integratedLUFS == -.infinity)
        #expect(lfe.truePeakDBTP > -21)  // peaks still cover every channel
        #expect(abs(surround.integratedLUFS - left.integratedLUFS - 10 * log10(1.41)) < 1e-6)
    }

    @Test("without true peak, the reported peak is the sample peak")
    func samplePeakOnly() throws {
        let signal = programme(sampleRate: 48_000, seconds: 2)
        let m = try measure(signal, sampleRate: 48_000, blocks: [777], interleaved: true, truePeak: false)
        let peak = signal.flatMap { $0 }.map { abs(Double($0)) }.max()!
        #expect(m.truePeakDBTP == m.samplePeakDBFS)
        #expect(abs(m.samplePeakDBFS - 20 * log10(peak)) < 1e-9)
    }

    @Test("a stream shorter than one 10 ms step has peaks but no momentary or short-term reading")
    func tinyStream() throws {
        let m = try measure([[0.5, -0.25, 0.125]], sampleRate: 48_000, blocks: [3], interleaved: true)
        #expect(abs(m.samplePeakDBFS - 20 * log10(0.5)) < 1e-9)
        #expect(m.integratedLUFS == -.infinity && m.momentaryMaxLUFS == -.infinity && m.loudnessRangeLU == 0)
    }

    @Test("invalid parameters are errors, not crashes")
    func invalidParameters() {
        #expect(throws: LoudnessError.invalidParameters(channels: 0, sampleRate: 48_000)) {
            _ = try LoudnessMeter(channels: 0, sampleRate: 48_000)
        }
        #expect(throws: LoudnessError.invalidParameters(channels: 2, sampleRate: 0)) {
            _ = try LoudnessMeter(channels: 2, sampleRate: 0)
        }
    }

    @Test("meters created, used and destroyed on many threads at once agree")
    func concurrentMeters() throws {
        let signal = programme(sampleRate: 44_100, seconds: 2)
        let reference = try measure(signal, sampleRate: 44_100, blocks: [4096], interleaved: false)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 24) { index in
            for _ in 0..<4 {
                // Other parameters in between, so libebur128 re-initialises its globals while others measure.
                _ = try? LoudnessMeter(channels: 1 + index % 6, sampleRate: 8_000 * (1 + index % 12))
                results.append(try? measure(signal, sampleRate: 44_100, blocks: [1000 + index], interleaved: index % 2 == 0))
            }
        }
        #expect(results.values.count == 96)
        #expect(results.values.allSatisfy { $0 == reference })
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [LoudnessMeasurement?] = []
    func append(_ value: LoudnessMeasurement?) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }
}

/// A small deterministic generator for random block sizes.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
