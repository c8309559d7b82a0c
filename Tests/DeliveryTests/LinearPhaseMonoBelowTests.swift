import Delivery
import Foundation
import Testing
import TestSupport

/// The deliverable's mono lows: side high-pass ≤ −70 dB below the frequency (80 dB by design), flat from a third of
/// an octave up, zero phase; mid untouched.
@Suite("Linear-phase mono below")
struct LinearPhaseMonoBelowTests {
    static let designs = [(150.0, 48000), (150.0, 44100), (120.0, 96000), (300.0, 48000)]

    @Test("Design: side ≤ −70 dB at and below the frequency, within 0.001 dB from a third of an octave up",
          arguments: designs)
    func designResponse(frequency: Double, rate: Int) {
        let filter = LinearPhaseMonoBelow(frequency: frequency, sampleRate: rate)
        #expect(filter.lowpass.count % 2 == 1)
        #expect(zip(filter.lowpass, filter.lowpass.reversed()).allSatisfy { $0 == $1 }, "symmetric (linear phase)")
        var worstStop = -Double.infinity
        for i in 0...400 {
            let f = frequency * Double(i) / 400
            worstStop = max(worstStop, 20 * log10(max(abs(filter.sideResponse(at: f)), 1e-30)))
        }
        #expect(worstStop <= -70, "worst side response below \(frequency) Hz: \(worstStop) dB")
        var worstPass = 0.0
        let start = filter.passbandStart, nyquist = Double(rate) / 2
        for i in 0...400 {
            let f = start * pow(nyquist / start, Double(i) / 400)
            worstPass = max(worstPass, abs(20 * log10(abs(filter.sideResponse(at: f)))))
        }
        #expect(worstPass <= 0.001, "passband deviation \(worstPass) dB")
    }

    /// Measures the applied filter from an impulse on the side channel (L = δ, R = 0, so S = M = δ/2), by direct DFT.
    @Test("Applied by FFT convolution: measured side response matches the design; the mid comes out unchanged")
    func measuredResponse() {
        let rate = 48000, frequency = 150.0
        let filter = LinearPhaseMonoBelow(frequency: frequency, sampleRate: rate)
        let frames = 4 * filter.half + 1001, centre = 2 * filter.half + 17
        var channels: [[Float]] = [[Float](repeating: 0, count: frames), [Float](repeating: 0, count: frames)]
        channels[0][centre] = 1
        filter.apply(&channels)
        let side = (0..<frames).map { 0.5 * (Double(channels[0][$0]) - Double(channels[1][$0])) }
        let mid = (0..<frames).map { 0.5 * (Double(channels[0][$0]) + Double(channels[1][$0])) }
        // Mid: still the impulse at the same place (its delay equals the side's and both are compensated).
        for n in 0..<frames { #expect(abs(mid[n] - (n == centre ? 0.5 : 0)) < 1e-7, "mid at \(n)") }
        // Side: zero-phase around the impulse, so its DFT (taken about the centre) is real and equals the design.
        let frequencies = stride(from: 0.0, through: 2000, by: 12.5).map { $0 } + [frequency, filter.passbandStart]
        for f in frequencies {
            let w = 2 * Double.pi * f / Double(rate)
            var re = 0.0, im = 0.0
            for n in 0..<frames where side[n] != 0 {
                re += side[n] * cos(w * Double(n - centre))
                im -= side[n] * sin(w * Double(n - centre))
            }
            let expected = 0.5 * filter.sideResponse(at: f)
            #expect(abs(re - expected) < 1e-5 && abs(im) < 1e-5, "side at \(f) Hz: \(re) + \(im)i, design \(expected)")
            if f <= frequency {
                let level = 20 * log10(max((re * re + im * im).squareRoot() / 0.5, 1e-30))
                #expect(level <= -70, "side at \(f) Hz: \(level) dB")
            }
        }
    }

    @Test("A mono signal passes bit for bit; any signal's mid is unchanged")
    func midUnchanged() {
        let filter = LinearPhaseMonoBelow(frequency: 150, sampleRate: 48000)
        let noise = TestAudio.noise(frames: 48000, seed: 3)
        var mono = [noise, noise]
        filter.apply(&mono)
        #expect(mono == [noise, noise])
        let other = TestAudio.noise(frames: 48000, seed: 4)
        var stereo = [noise, other]
        filter.apply(&stereo)
        for i in 0..<48000 {
            let before = 0.5 * (Double(noise[i]) + Double(other[i]))
            let after = 0.5 * (Double(stereo[0][i]) + Double(stereo[1][i]))
            #expect(abs(after - before) < 1e-7)
        }
    }

    @Test("Decorrelated stereo noise: side energy below the frequency falls by ≥ 70 dB; above, side is kept")
    func stereoNoise() {
        let rate = 48000, frames = 1 << 18
        let filter = LinearPhaseMonoBelow(frequency: 150, sampleRate: rate)
        let left = TestAudio.noise(frames: frames, seed: 5), right = TestAudio.noise(frames: frames, seed: 6)
        var channels = [left, right]
        filter.apply(&channels)
        func side(_ c: [[Float]]) -> [Double] { (0..<frames).map { 0.5 * (Double(c[0][$0]) - Double(c[1][$0])) } }
        // Skip the first and last half-filter lengths, where the filter's window reaches past the signal.
        let inner = (filter.half)..<(frames - filter.half)
        let before = SpectralPower.welch(Array(side([left, right])[inner]), segment: 1 << 15)
        let after = SpectralPower.welch(Array(side(channels)[inner]), segment: 1 << 15)
        let low = SpectralPower.decibels(SpectralPower.band(after, sampleRate: rate, from: 0, to: 150)
                                         / SpectralPower.band(before, sampleRate: rate, from: 0, to: 150))
        #expect(low <= -70, "side below 150 Hz: \(low) dB")
        let high = SpectralPower.decibels(SpectralPower.band(after, sampleRate: rate, from: 250, to: 20000)
                                          / SpectralPower.band(before, sampleRate: rate, from: 250, to: 20000))
        #expect(abs(high) < 0.01, "side above 250 Hz: \(high) dB")
    }
}
