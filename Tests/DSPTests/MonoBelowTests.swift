import DSP
import Foundation
import Testing

/// mono_below: compared with a Linkwitz–Riley crossover built the long way in the test (six cookbook sections in
/// Double, direct form I), the allpass property, side attenuation, and the kit.
@Suite struct MonoBelowTests {
    let frequency = 120.0
    let frames = 48000
    var stereo: [[Float]] { [ProcessorTestKit.noise(frames, seed: 31), ProcessorTestKit.noise(frames, seed: 32)] }

    /// A cookbook section (`kind` lowpass/highpass/allpass at Q = 1/√2) run over `x` in Double.
    static func filter(_ x: [Double], _ kind: String, frequency: Double, fs: Double = 48000) -> [Double] {
        let w0 = 2 * Double.pi * frequency / fs, alpha = sin(w0) / (2 / sqrt(2.0)), c = cos(w0)
        let b: [Double]
        switch kind {
        case "lowpass": b = [(1 - c) / 2, 1 - c, (1 - c) / 2]
        case "highpass": b = [(1 + c) / 2, -(1 + c), (1 + c) / 2]
        default: b = [1 - alpha, -2 * c, 1 + alpha]
        }
        let a = [1 + alpha, -2 * c, 1 - alpha]
        var y = [Double](repeating: 0, count: x.count)
        for n in x.indices {
            let x1 = n >= 1 ? x[n - 1] : 0, x2 = n >= 2 ? x[n - 2] : 0
            let y1 = n >= 1 ? y[n - 1] : 0, y2 = n >= 2 ? y[n - 2] : 0
            y[n] = (b[0] * x[n] + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2) / a[0]
        }
        return y
    }

    /// L' = LP4((L + R)/2) + HP4(L), R' = LP4((L + R)/2) + HP4(R): the definition, six sections per side.
    @Test func matchesLinkwitzRileyBuiltTheLongWay() {
        let input = stereo
        let output = ProcessorTestKit.run(.monoBelow(hertz: frequency), input)
        let l = input[0].map(Double.init), r = input[1].map(Double.init)
        let mono = zip(l, r).map { ($0 + $1) / 2 }
        let low = Self.filter(Self.filter(mono, "lowpass", frequency: frequency), "lowpass", frequency: frequency)
        var worst = 0.0
        for (c, channel) in [l, r].enumerated() {
            let high = Self.filter(Self.filter(channel, "highpass", frequency: frequency), "highpass", frequency: frequency)
            for n in 0..<frames { worst = max(worst, abs(Double(output[c][n]) - (low[n] + high[n]))) }
        }
        print("mono_below vs LR4 long way: \(worst)")
        #expect(worst <= 1e-6, "worst error \(worst)")
    }

    /// A mono-compatible input (L = R) comes out as the allpass-filtered input, on both channels.
    @Test func monoInputComesOutAllpassed() {
        let x = ProcessorTestKit.noise(frames, seed: 33)
        let output = ProcessorTestKit.run(.monoBelow(hertz: frequency), [x, x])
        let reference = Self.filter(x.map(Double.init), "allpass", frequency: frequency)
        var worst = 0.0
        for n in 0..<frames {
            worst = max(worst, abs(Double(output[0][n]) - reference[n]))
            #expect(output[0][n] == output[1][n])
        }
        print("mono_below vs allpass: \(worst)")
        #expect(worst <= 1e-6, "worst error \(worst)")
        // One channel gets the same allpass.
        let single = ProcessorTestKit.run(.monoBelow(hertz: frequency), [x])[0]
        #expect(single == output[0])
    }

    /// Side energy of decorrelated noise, output vs input, per band (Hann-windowed FFT, 65536 points).
    /// LR4 high-pass on the side: measured −55.1 dB in freq/8…freq/4 (asserted ≤ −40 dB), −30.0 dB in
    /// freq/4…freq/2 (asserted ≤ −28 dB: an LR4 is only −24.6 dB at freq/2 itself, so the whole band below freq/2
    /// cannot be 40 dB down), −0.0003 dB above 4·freq (asserted within ±0.1 dB).
    @Test func sideIsRemovedBelowTheCrossover() {
        let n = 1 << 16, skip = 4800
        let input = [ProcessorTestKit.noise(n + skip, seed: 34), ProcessorTestKit.noise(n + skip, seed: 35)]
        let output = ProcessorTestKit.run(.monoBelow(hertz: frequency), input)
        func side(_ x: [[Float]]) -> ArraySlice<Double> {
            (skip..<(skip + n)).map { (Double(x[0][$0]) - Double(x[1][$0])) / 2 }[...]
        }
        let before = Spectrum.powerSpectrum(side(input)), after = Spectrum.powerSpectrum(side(output))
        func ratio(_ low: Double, _ high: Double) -> Double {
            let bins = Int(low / 48000 * Double(n))...Int(high / 48000 * Double(n))
            return 10 * log10(bins.reduce(0) { $0 + after[$1] } / bins.reduce(0) { $0 + before[$1] })
        }
        let deep = ratio(frequency / 8, frequency / 4), near = ratio(frequency / 4, frequency / 2)
        let above = ratio(4 * frequency, 20000)
        print("mono_below side: \(deep) dB below freq/4, \(near) dB freq/4…freq/2, \(above) dB above 4·freq")
        #expect(deep <= -40, "side below freq/4: \(deep) dB")
        #expect(near <= -28, "side freq/4…freq/2: \(near) dB")
        #expect(abs(above) <= 0.1, "side above 4·freq: \(above) dB")
    }

    @Test func kit() {
        ProcessorTestKit.expectBlockSizeInvariance(.monoBelow(hertz: 200), stereo)
        ProcessorTestKit.expectResetRepeats(.monoBelow(hertz: 200), stereo)
        let latency = ProcessorTestKit.measuredLatency(.monoBelow(hertz: 100))
        #expect(latency.declared == 0 && latency.measured == 0)
        #expect(ProcessorConfiguration.monoBelow(hertz: 100).requiresStereo)
    }

    /// Null: a pure side signal far above the crossover passes (within 0.05 dB); a mono signal keeps its energy
    /// (allpass: same RMS within 0.01 dB).
    @Test func nulls() {
        let side = ProcessorTestKit.sine(5000, frames: frames)
        let output = ProcessorTestKit.run(.monoBelow(hertz: frequency), [side, side.map { -$0 }])
        let gain = 20 * log10(ProcessorTestKit.rms(output[0][4800...]) / ProcessorTestKit.rms(side[4800...]))
        print("mono_below nulls: side 5 kHz \(gain) dB")
        #expect(abs(gain) <= 0.05, "side at 5 kHz: \(gain) dB")
        let x = ProcessorTestKit.noise(frames, seed: 36)
        let mono = ProcessorTestKit.run(.monoBelow(hertz: frequency), [x, x])
        let energy = 20 * log10(ProcessorTestKit.rms(mono[0][4800...]) / ProcessorTestKit.rms(x[4800...]))
        print("mono_below nulls: mono RMS \(energy) dB")
        #expect(abs(energy) <= 0.01, "mono RMS change \(energy) dB")
    }
}
