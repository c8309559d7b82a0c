import Delivery
import Foundation
import Testing
import TestSupport

/// The loudness-targeting loop on a short music-like signal: converges to ±0.1 LU with true peak under the
/// ceiling; without a limiter the ceiling caps the gain and the miss is reported.
@Suite("Mastering")
struct MasteringTests {
    /// 6 s of stereo "music": a 55 Hz bass, decaying noise hits on every beat (high crest factor, so a loud target
    /// needs the limiter) and a quiet pad.
    static let premaster: [[Float]] = {
        let rate = 48000.0, frames = 6 * 48000
        let noiseL = TestAudio.noise(frames: frames, amplitude: 1, seed: 21)
        let noiseR = TestAudio.noise(frames: frames, amplitude: 1, seed: 22)
        return (0..<2).map { c in
            (0..<frames).map { n in
                let t = Double(n) / rate, beat = t.truncatingRemainder(dividingBy: 0.5)
                let hit = exp(-beat * 30) * 0.5 * Double(c == 0 ? noiseL[n] : noiseR[n])
                let bass = 0.2 * sin(2 * Double.pi * 55 * t)
                let pad = 0.05 * sin(2 * Double.pi * (c == 0 ? 440 : 442) * t)
                return Float(hit + bass + pad)
            }
        }
    }()

    static func target(loudness: Double?, ceiling: Double?, limit: Bool = true, rate: Int = 48000) -> MasteringTarget {
        MasteringTarget(loudness: loudness, ceiling: ceiling, limit: limit, highpass: nil, monoBelow: nil, fadeOut: nil,
                        sampleRate: rate)
    }

    @Test("Loudness target with the limiter: within ±0.1 LU, true peak ≤ ceiling, a few passes",
          arguments: [(-14.0, -1.0, 48000), (-10.0, -0.3, 44100), (-23.0, -1.0, 48000), (-9.0, -1.0, 48000)])
    func converges(loudness: Double, ceiling: Double, rate: Int) throws {
        let result = try Mastering.master(Self.premaster, sessionRate: 48000,
                                          target: Self.target(loudness: loudness, ceiling: ceiling, rate: rate))
        let measured = try Mastering.measure(result.channels, sampleRate: rate, truePeak: true)
        #expect(abs(measured.integratedLUFS - loudness) <= 0.1, "integrated \(measured.integratedLUFS)")
        #expect(abs(result.integrated - measured.integratedLUFS) < 1e-9)
        #expect(measured.truePeakDBTP <= ceiling, "true peak \(measured.truePeakDBTP)")
        #expect((1...6).contains(result.passes), "passes \(result.passes)")
        #expect(result.sampleRate == rate)
        #expect(abs(result.channels[0].count - Self.premaster[0].count * rate / 48000) <= 1)
        if loudness >= -10 { #expect(result.limiterReduction > 0) }
        if loudness == -9 { #expect(result.passes > 1, "the limiter lowers the loudness: a second pass is needed") }
    }

    @Test("Without a limiter the ceiling caps the gain, and an unreachable target is a stated shortfall")
    func noLimiter() throws {
        let result = try Mastering.master(Self.premaster, sessionRate: 48000,
                                          target: Self.target(loudness: -6, ceiling: -1, limit: false))
        let measured = try Mastering.measure(result.channels, sampleRate: 48000, truePeak: true)
        #expect(measured.truePeakDBTP <= -1)
        #expect(result.limiterReduction == 0)
        #expect(result.shortfall?.contains("more gain than the -1.0 dBTP ceiling allows without limiting") == true,
                "\(result.shortfall ?? "nil")")
        // A reachable target without limiting: just gain.
        let quiet = try Mastering.master(Self.premaster, sessionRate: 48000,
                                         target: Self.target(loudness: -30, ceiling: -1, limit: false))
        #expect(quiet.shortfall == nil)
        #expect(abs(quiet.integrated - -30) <= 0.1)
    }

    @Test("No loudness and no ceiling: the premaster passes unchanged")
    func identity() throws {
        let result = try Mastering.master(Self.premaster, sessionRate: 48000, target: Self.target(loudness: nil, ceiling: nil))
        #expect(result.channels == Self.premaster)
        #expect(result.passes == 1)
    }
}
