import Foundation
@testable import Loudness
import Testing

@Suite("LoudnessMath and LoudnessRange")
struct LoudnessMathTests {
    @Test("gain to a target, and lowered to respect a true-peak ceiling")
    func gains() {
        #expect(LoudnessMath.gain(from: -20, to: -14) == 6)
        #expect(LoudnessMath.gain(from: -9.5, to: -14) == -4.5)
        #expect(LoudnessMath.gain(from: -.infinity, to: -14) == .infinity)
        // −20 LUFS peaking at −5 dBTP, target −14, ceiling −1: only +4 dB fit (Spotify's example gives −16 LUFS).
        #expect(LoudnessMath.gain(from: -20, to: -14, truePeak: -5, ceiling: -1) == 4)
        #expect(LoudnessMath.gain(from: -20, to: -14, truePeak: -12, ceiling: -1) == 6)
    }

    @Test("decibels and amplitudes, loudness and energy are inverse pairs")
    func conversions() {
        #expect(abs(LoudnessMath.decibels(amplitude: 0.5) + 6.020_599_913) < 1e-9)
        #expect(LoudnessMath.decibels(amplitude: -1) == 0)
        #expect(LoudnessMath.decibels(amplitude: 0) == -.infinity)
        #expect(LoudnessMath.amplitude(decibels: -.infinity) == 0)
        #expect(LoudnessMath.loudness(energy: 0) == -.infinity)
        for value in [-70.0, -23, -14, 0, 3] {
            #expect(abs(LoudnessMath.decibels(amplitude: LoudnessMath.amplitude(decibels: value)) - value) < 1e-12)
            #expect(abs(LoudnessMath.loudness(energy: LoudnessMath.energy(loudness: value)) - value) < 1e-12)
        }
        // A full-scale stereo 997 Hz sine has mean square 0.5 per channel: K-weighting adds 0.691, so 0 LUFS ≈ this.
        #expect(abs(LoudnessMath.loudness(energy: 1) + 0.691) < 1e-12)
    }

    @Test("loudness range: L95 − L10 after the −70 LUFS and −20 LU gates")
    func loudnessRange() {
        let energy = { (lufs: Double) in LoudnessMath.energy(loudness: lufs) }
        // 101 values from −30 to −20 LUFS in 0.1 LU steps: L10 = −29, L95 = −20.5.
        let ramp = (0...100).map { energy(-30 + Double($0) / 10) }
        #expect(abs(LoudnessRange.compute(ramp) - 8.5) < 1e-9)
        // Values under −70 LUFS and more than 20 LU under the mean power do not count.
        let gated = ramp + Array(repeating: energy(-80), count: 500) + Array(repeating: energy(-55), count: 50)
        #expect(abs(LoudnessRange.compute(gated) - 8.5) < 1e-9)
        #expect(LoudnessRange.compute([]) == 0)
        #expect(LoudnessRange.compute([energy(-90)]) == 0)
    }

    @Test("Codable: −∞ levels are encoded as null and decoded back")
    func codableInfinity() throws {
        let measurement = LoudnessMeasurement(integratedLUFS: -.infinity, loudnessRangeLU: 0, truePeakDBTP: -.infinity,
                                              samplePeakDBFS: -.infinity, momentaryMaxLUFS: -12.5,
                                              shortTermMaxLUFS: -.infinity)
        let data = try JSONEncoder().encode(measurement)
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["integratedLUFS"] is NSNull)
        #expect(object["momentaryMaxLUFS"] as? Double == -12.5)
        #expect(try JSONDecoder().decode(LoudnessMeasurement.self, from: data) == measurement)
    }
}
