import DSP
import Foundation
import Testing

/// saturate: aliasing measured against the same curve without oversampling, the static curve against its closed
/// form, the linear path's flatness, mix nulls, and the kit.
@Suite struct SaturateTests {
    static let latency = 46

    /// The curves, written out again (closed forms from the documentation).
    static func curve(_ type: SaturateParameters.Curve, _ x: Double) -> Double {
        switch type {
        case .tape: return tanh(x)
        case .tube: return (tanh(x + 0.2) - tanh(0.2)) / (1 - tanh(0.2) * tanh(0.2))
        case .hard: return min(1, max(-1, x))
        }
    }

    /// DC blocker of the tube curve: (1 + r)/2 · (1 − z⁻¹)/(1 − r·z⁻¹), r = e^(−2π·5/fs).
    static func dcBlock(_ x: [Double], fs: Double = 48000) -> [Double] {
        let r = exp(-2 * Double.pi * 5 / fs)
        var y = [Double](repeating: 0, count: x.count), previous = 0.0, out = 0.0
        for n in x.indices {
            out = (1 + r) / 2 * (x[n] - previous) + r * out
            previous = x[n]
            y[n] = out
        }
        return y
    }

    /// Energy of the non-harmonic components of a 7 kHz tone at 48 kHz relative to the fundamental, in dB.
    /// 7 kHz at 48 kHz repeats every 48 samples, so every component (harmonic or aliased) sits on a multiple of
    /// 1 kHz: the DFT over 4800 samples (100 periods) at k·1 kHz is exact. Harmonics: 7, 14, 21 kHz (and DC).
    static func aliasing(_ output: ArraySlice<Float>) -> Double {
        let segment = Array(output.suffix(4800))
        let bins = Spectrum.dft(segment, at: (0...24).map { Double($0) * 1000 })
        let power = bins.map { $0.re * $0.re + $0.im * $0.im }
        let aliased = (1...24).filter { ![7, 14, 21].contains($0) }.reduce(0.0) { $0 + power[$1] }
        return 10 * log10(aliased / power[7])
    }

    static let tone = ProcessorTestKit.sine(7000, frames: 24000, amplitude: 0.5)

    /// Measured (4× oversampling vs the same curve run at 48 kHz, 0.5-amplitude 7 kHz tone, drive +12 dB):
    /// tape −136.4 dB (without oversampling −28.1 dB); tube −137.7 dB (−26.8 dB); hard −49.5 dB (−24.7 dB: a hard
    /// clip's harmonics fall off only as 1/k, and those above 4·fs fold within the oversampled band).
    @Test("Aliasing of a 7 kHz tone driven +12 dB: tape -136 dB, tube -138 dB, hard -49 dB (naive -28/-27/-25 dB)",
          arguments: [(SaturateParameters.Curve.tape, -120.0), (.tube, -120), (.hard, -40)])
    func aliasing(type: SaturateParameters.Curve, bound: Double) {
        let parameters = SaturateParameters(drive: 12, mix: 1, type: type)
        let output = ProcessorTestKit.run(.saturate(parameters), [Self.tone])[0]
        let measured = Self.aliasing(output[...])
        let gain = pow(10, 12.0 / 20)
        let naive = Self.tone.map { Float(Self.curve(type, gain * Double($0))) }
        let naiveLevel = Self.aliasing(naive[...])
        print("saturate \(type) +12 dB, 7 kHz: aliasing \(measured) dB (without oversampling \(naiveLevel) dB)")
        #expect(measured <= bound, "aliasing \(measured) dB")
        #expect(measured <= naiveLevel - 15, "oversampled \(measured) dB vs naive \(naiveLevel) dB")
    }

    /// At 100 Hz the output is the closed-form curve of the input `latency` samples earlier (tube: then the
    /// 5 Hz DC blocker). Measured: tape 2.5e-7, tube 4.0e-7, hard 5.4e-4 (a hard-clipped sine has harmonics above
    /// 20 kHz, which the oversampler removes by design). Asserted: 1e-5, 1e-5, 2e-3.
    @Test(arguments: [(SaturateParameters.Curve.tape, 1e-5), (.tube, 1e-5), (.hard, 2e-3)])
    func staticCurve(type: SaturateParameters.Curve, tolerance: Double) {
        let x = ProcessorTestKit.sine(100, frames: 24000, amplitude: 0.8)
        let output = ProcessorTestKit.run(.saturate(SaturateParameters(drive: 6, mix: 1, type: type)), [x])[0]
        let gain = pow(10, 6.0 / 20)
        var reference = x.map { Self.curve(type, gain * Double($0)) }
        if type == .tube { reference = Self.dcBlock(reference) }
        var worst = 0.0
        for n in 4800..<24000 { worst = max(worst, abs(Double(output[n]) - reference[n - Self.latency])) }
        print("saturate static \(type): \(worst)")
        #expect(worst <= tolerance, "worst error \(worst)")
    }

    /// The linear path (tiny signal, 0 dB drive) is flat within ±0.001 dB up to 18 kHz (measured ≤ 0.0002 dB) and
    /// delays by exactly `latency` (phase within 1e-3 rad).
    @Test func linearPathIsFlat() {
        for frequency in [50.0, 1000, 8000, 15000, 18000] {
            let x = ProcessorTestKit.sine(frequency, frames: 12000, amplitude: 1e-3)
            let y = ProcessorTestKit.run(.saturate(SaturateParameters(drive: 0, mix: 1, type: .tape)), [x])[0]
            let response = Spectrum.dft(Array(y[2400..<12000]), at: [frequency])[0]
            let input = Spectrum.dft(Array(x[(2400 - Self.latency)..<(12000 - Self.latency)]), at: [frequency])[0]
            let db = response.decibels - input.decibels
            print("saturate linear \(frequency) Hz: \(db) dB")
            #expect(abs(db) <= 0.001, "\(frequency) Hz: \(db) dB")
            #expect(abs(Spectrum.phaseDifference(response.phase, input.phase)) <= 1e-3, "\(frequency) Hz phase")
        }
    }

    let input = [ProcessorTestKit.noise(20000, seed: 41), ProcessorTestKit.noise(20000, seed: 42)]

    /// mix 0 returns the input delayed by the latency, bit for bit; mix 50 % is half of each.
    @Test func mixNullsAndBlends() {
        let dry = ProcessorTestKit.run(.saturate(SaturateParameters(drive: 24, mix: 0, type: .tube)), input)
        for c in 0..<2 {
            #expect(dry[c].prefix(Self.latency).allSatisfy { $0 == 0 })
            #expect(Array(dry[c][Self.latency...]) == Array(input[c][..<(20000 - Self.latency)]))
        }
        let wet = ProcessorTestKit.run(.saturate(SaturateParameters(drive: 12, mix: 1, type: .tape)), input)
        let half = ProcessorTestKit.run(.saturate(SaturateParameters(drive: 12, mix: 0.5, type: .tape)), input)
        var worst: Float = 0
        for c in 0..<2 {
            for n in Self.latency..<20000 {
                worst = max(worst, abs(half[c][n] - (0.5 * wet[c][n] + 0.5 * input[c][n - Self.latency])))
            }
        }
        #expect(worst <= 1e-7)
    }

    /// The rational tanh is within 3.5e-7 of tanh (Double) on ±12, and within 3e-7 relative for |x| < 0.01.
    @Test func fastTanhMatchesTanh() {
        var worst = 0.0, worstSmall = 0.0
        for i in -1_200_000...1_200_000 {
            let x = Float(i) * 1e-5
            let y = Double(FastTanh.tanh(x)), exact = tanh(Double(x))
            worst = max(worst, abs(y - exact))
            if abs(x) < 0.01, x != 0 { worstSmall = max(worstSmall, abs(y - exact) / abs(Double(x))) }
            #expect(abs(y) < 1)
        }
        print("FastTanh: worst \(worst), small-x relative \(worstSmall)")
        #expect(worst <= 3.5e-7)
        #expect(worstSmall <= 3e-7)
    }

    @Test func tubeOutputHasNoDC() {
        let x = ProcessorTestKit.sine(100, frames: 96000, amplitude: 0.8)
        let y = ProcessorTestKit.run(.saturate(SaturateParameters(drive: 12, mix: 1, type: .tube)), [x])[0]
        let mean = y[48000...].reduce(0.0) { $0 + Double($1) } / 48000
        #expect(abs(mean) <= 1e-4, "mean \(mean)")
    }

    @Test(arguments: SaturateParameters.Curve.allCases)
    func kit(type: SaturateParameters.Curve) {
        let configuration = ProcessorConfiguration.saturate(SaturateParameters(drive: 9, mix: 0.7, type: type))
        ProcessorTestKit.expectBlockSizeInvariance(configuration, input)
        ProcessorTestKit.expectResetRepeats(configuration, input)
        let latency = ProcessorTestKit.measuredLatency(.saturate(SaturateParameters(drive: 0, mix: 1, type: type)))
        #expect(latency.declared == Self.latency)
        #expect(latency.measured == latency.declared)
    }
}
