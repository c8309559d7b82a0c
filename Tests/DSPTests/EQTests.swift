import DSP
import Foundation
import Testing

/// The RBJ Audio-EQ-Cookbook, written out again here (independently of `Biquad`): un-normalised b0…b2, a0…a2,
/// and H(e^jω) = B(e^jω) / A(e^jω) evaluated in Double.
private enum Cookbook {
    typealias Coefficients = (b: [Double], a: [Double])

    static func design(_ band: EQBand, fs: Double) -> [Coefficients] {
        let w0 = 2 * Double.pi * band.frequency / fs
        let cw = cos(w0), sw = sin(w0)
        let amp = pow(10, band.gain / 40)
        func alpha(_ q: Double) -> Double { sw / (2 * q) }
        switch band.kind {
        case .peak:
            let al = alpha(band.q ?? 1)
            return [([1 + al * amp, -2 * cw, 1 - al * amp], [1 + al / amp, -2 * cw, 1 - al / amp])]
        case .bandpass:
            let al = alpha(band.q ?? 1)
            return [([al, 0, -al], [1 + al, -2 * cw, 1 - al])]
        case .notch:
            let al = alpha(band.q ?? 1)
            return [([1, -2 * cw, 1], [1 + al, -2 * cw, 1 - al])]
        case .lowshelf, .highshelf:
            let al = band.q.map(alpha) ?? sw / 2 * sqrt((amp + 1 / amp) * (1 / (band.slope ?? 1) - 1) + 2)
            let k = 2 * sqrt(amp) * al
            if band.kind == .lowshelf {
                return [([amp * ((amp + 1) - (amp - 1) * cw + k), 2 * amp * ((amp - 1) - (amp + 1) * cw),
                          amp * ((amp + 1) - (amp - 1) * cw - k)],
                         [(amp + 1) + (amp - 1) * cw + k, -2 * ((amp - 1) + (amp + 1) * cw),
                          (amp + 1) + (amp - 1) * cw - k])]
            }
            return [([amp * ((amp + 1) + (amp - 1) * cw + k), -2 * amp * ((amp - 1) + (amp + 1) * cw),
                      amp * ((amp + 1) + (amp - 1) * cw - k)],
                     [(amp + 1) - (amp - 1) * cw + k, 2 * ((amp - 1) - (amp + 1) * cw),
                      (amp + 1) - (amp - 1) * cw - k])]
        case .highpass, .lowpass:
            let order = Int(band.slope ?? 12) / 6
            // Butterworth poles of order N lie at angles π(2k + N − 1)/(2N) on the unit circle (left half plane);
            // a conjugate pair with real part −σ makes a 2nd-order section of Q = 1/(2σ).
            let qs = order == 2 ? [band.q ?? 1 / sqrt(2.0)] : (1...(order / 2)).map { k -> Double in
                let angle = Double.pi * Double(2 * k + order - 1) / Double(2 * order)
                return 1 / (-2 * cos(angle))
            }
            return qs.map { q in
                let al = alpha(q)
                let b = band.kind == .lowpass ? [(1 - cw) / 2, 1 - cw, (1 - cw) / 2] : [(1 + cw) / 2, -(1 + cw), (1 + cw) / 2]
                return (b, [1 + al, -2 * cw, 1 - al])
            }
        }
    }

    static func response(_ bands: [EQBand], at f: Double, fs: Double = 48000) -> Spectrum.Complex {
        let w = 2 * Double.pi * f / fs
        var h = Spectrum.Complex(re: 1, im: 0)
        for section in bands.flatMap({ design($0, fs: fs) }) {
            func poly(_ c: [Double]) -> Spectrum.Complex {
                Spectrum.Complex(re: c[0] + c[1] * cos(w) + c[2] * cos(2 * w), im: -c[1] * sin(w) - c[2] * sin(2 * w))
            }
            h = h * (poly(section.b) / poly(section.a))
        }
        return h
    }
}

struct ResponseCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bands: [EQBand]
    var testDescription: String { name }
}

@Suite struct EQTests {
    static let cases: [ResponseCase] = [
        ResponseCase(name: "peak 60 Hz +3 dB q 1.2", bands: [EQBand(.peak, frequency: 60, gain: 3, q: 1.2)]),
        ResponseCase(name: "peak 1 kHz -12 dB q 4", bands: [EQBand(.peak, frequency: 1000, gain: -12, q: 4)]),
        ResponseCase(name: "lowshelf 80 Hz +1 dB (S 1)", bands: [EQBand(.lowshelf, frequency: 80, gain: 1)]),
        ResponseCase(name: "lowshelf 200 Hz -6 dB slope 0.5",
                     bands: [EQBand(.lowshelf, frequency: 200, gain: -6, slope: 0.5)]),
        ResponseCase(name: "highshelf 8 kHz -2 dB", bands: [EQBand(.highshelf, frequency: 8000, gain: -2)]),
        ResponseCase(name: "highshelf 4 kHz +6 dB q 0.9", bands: [EQBand(.highshelf, frequency: 4000, gain: 6, q: 0.9)]),
        ResponseCase(name: "highpass 30 Hz 24 dB/oct", bands: [EQBand(.highpass, frequency: 30, slope: 24)]),
        ResponseCase(name: "highpass 100 Hz 12 dB/oct q 2", bands: [EQBand(.highpass, frequency: 100, q: 2)]),
        ResponseCase(name: "lowpass 5 kHz 48 dB/oct", bands: [EQBand(.lowpass, frequency: 5000, slope: 48)]),
        ResponseCase(name: "lowpass 12 kHz 36 dB/oct", bands: [EQBand(.lowpass, frequency: 12000, slope: 36)]),
        ResponseCase(name: "bandpass 2 kHz q 3", bands: [EQBand(.bandpass, frequency: 2000, q: 3)]),
        ResponseCase(name: "notch 3 kHz q 8", bands: [EQBand(.notch, frequency: 3000, q: 8)]),
        ResponseCase(name: "kick chain (6 bands, 9 sections)", bands: [
            EQBand(.highpass, frequency: 30, slope: 24), EQBand(.peak, frequency: 60, gain: 3, q: 1.2),
            EQBand(.peak, frequency: 400, gain: -4, q: 2), EQBand(.highshelf, frequency: 8000, gain: -2),
            EQBand(.notch, frequency: 3000, q: 8), EQBand(.lowpass, frequency: 16000, slope: 36),
        ]),
    ]

    /// Magnitude within 0.01 dB and phase within 1e-4 rad of the cookbook at 200 log-spaced frequencies
    /// 20 Hz…20 kHz wherever the reference is above −80 dB; below that (stop bands, notch centres) the complex
    /// error is below 1e-5 (−100 dB). Measured from a 65536-sample impulse response by direct DFT.
    @Test("Response matches the RBJ cookbook (0.01 dB, 1e-4 rad)", arguments: cases)
    func responseMatchesCookbook(_ testCase: ResponseCase) {
        let frequencies = Spectrum.logFrequencies()
        let measured = Spectrum.measuredResponse(.eq(bands: testCase.bands), at: frequencies)
        var worstDB = 0.0, worstPhase = 0.0, worstDeep = 0.0
        for (f, m) in zip(frequencies, measured) {
            let reference = Cookbook.response(testCase.bands, at: f)
            if reference.decibels > -80 {
                worstDB = max(worstDB, abs(m.decibels - reference.decibels))
                worstPhase = max(worstPhase, abs(Spectrum.phaseDifference(m.phase, reference.phase)))
            } else {
                worstDeep = max(worstDeep, (m - reference).magnitude)
            }
        }
        print("eq \(testCase.name): worst \(worstDB) dB, \(worstPhase) rad, deep \(worstDeep)")
        #expect(worstDB <= 0.01, "magnitude error \(worstDB) dB")
        #expect(worstPhase <= 1e-4, "phase error \(worstPhase) rad")
        #expect(worstDeep <= 1e-5, "deep stop-band error \(worstDeep)")
    }

    /// Butterworth: −3.01 dB at the cutoff (±0.01 dB), and the slope one octave apart in the stop band equals the
    /// order's asymptote N·20·log10(tan(πf₂/fs)/tan(πf₁/fs)) within 0.02 dB: 6.02 dB/oct per order, a little steeper
    /// near Nyquist where the bilinear transform warps frequency. The octave is chosen where the response is still
    /// above −100 dB, since a Float impulse response cannot show anything deeper (12/24 dB/oct: fc·2⁻⁴…fc·2⁻³,
    /// 36/48 dB/oct: fc/4…fc/2; mirrored above the cutoff for the low-pass; fc = 100 Hz). Both are also within 1 %
    /// of the nominal 12/24/36/48 dB/oct.
    @Test("Butterworth slopes: -3.01 dB at the cutoff, 12/24/36/48 dB per octave", arguments: [12.0, 24, 36, 48])
    func butterworth(slope: Double) {
        let order = slope / 6, fc = 100.0, fs = 48000.0
        let octave = slope <= 24 ? 4.0 : 2.0
        func asymptote(_ f1: Double, _ f2: Double) -> Double {
            order * 20 * log10(tan(Double.pi * f2 / fs) / tan(Double.pi * f1 / fs))
        }
        let highBand = (fc / pow(2, octave), fc / pow(2, octave - 1))
        let high = Spectrum.measuredResponse(.eq(bands: [EQBand(.highpass, frequency: fc, slope: slope)]),
                                             at: [fc, highBand.0, highBand.1])
        #expect(abs(high[0].decibels + 3.0103) <= 0.01, "highpass at cutoff: \(high[0].decibels) dB")
        let highSlope = high[2].decibels - high[1].decibels
        #expect(abs(highSlope - asymptote(highBand.0, highBand.1)) <= 0.02, "highpass slope \(highSlope) dB/oct")
        #expect(abs(highSlope / slope - 1) <= 0.01, "highpass slope \(highSlope) dB/oct")

        let lowBand = (fc * pow(2, octave - 1), fc * pow(2, octave))
        let low = Spectrum.measuredResponse(.eq(bands: [EQBand(.lowpass, frequency: fc, slope: slope)]),
                                            at: [fc, lowBand.0, lowBand.1])
        #expect(abs(low[0].decibels + 3.0103) <= 0.01, "lowpass at cutoff: \(low[0].decibels) dB")
        let lowSlope = low[1].decibels - low[2].decibels
        #expect(abs(lowSlope - asymptote(lowBand.0, lowBand.1)) <= 0.02, "lowpass slope \(lowSlope) dB/oct")
        #expect(abs(lowSlope / slope - 1) <= 0.01, "lowpass slope \(lowSlope) dB/oct")
        print("Butterworth \(Int(slope)) dB/oct: highpass \(highSlope) dB/oct, lowpass \(lowSlope) dB/oct")
    }

    @Test func butterworthSectionQs() {
        #expect(Biquad.butterworthQs(order: 2).map { ($0 * 1e6).rounded() } == [707107])
        #expect(Biquad.butterworthQs(order: 4).map { ($0 * 1e4).rounded() } == [5412, 13066])
        #expect(Biquad.butterworthQs(order: 8).count == 4)
    }

    let input = [ProcessorTestKit.noise(20000, seed: 11), ProcessorTestKit.noise(20000, seed: 12)]
    static let chain = ProcessorConfiguration.eq(bands: EQTests.cases.last!.bands)

    @Test func blockSizeInvarianceAndReset() {
        ProcessorTestKit.expectBlockSizeInvariance(Self.chain, input)
        ProcessorTestKit.expectResetRepeats(Self.chain, input)
    }

    @Test func latencyIsZero() {
        let latency = ProcessorTestKit.measuredLatency(.eq(bands: [EQBand(.peak, frequency: 1000, gain: 6, q: 1)]))
        #expect(latency.declared == 0)
        #expect(latency.measured == 0)
    }

    /// The stereo loop (both channels at once) gives each channel exactly what the mono loop gives.
    @Test func stereoEqualsMonoPerChannel() {
        let stereo = ProcessorTestKit.run(Self.chain, input)
        for c in 0..<2 {
            #expect(ProcessorTestKit.bits([ProcessorTestKit.run(Self.chain, [input[c]])[0]]) == ProcessorTestKit.bits([stereo[c]]))
        }
    }

    /// A 0 dB peak (and a 0 dB shelf) returns the input within 1e-6; an EQ without bands returns it exactly.
    @Test func nulls() {
        for band in [EQBand(.peak, frequency: 1000, gain: 0, q: 2), EQBand(.lowshelf, frequency: 100, gain: 0),
                     EQBand(.highshelf, frequency: 5000, gain: 0, q: 0.5)] {
            let output = ProcessorTestKit.run(.eq(bands: [band]), input)
            var worst: Float = 0
            for c in 0..<2 { for i in 0..<20000 { worst = max(worst, abs(output[c][i] - input[c][i])) } }
            print("eq null \(band.kind): \(worst)")
            #expect(worst <= 1e-6, "\(band.kind): \(worst)")
        }
        #expect(ProcessorTestKit.bits(ProcessorTestKit.run(.eq(bands: []), input)) == ProcessorTestKit.bits(input))
    }

    /// The declared tail is honest: after it, the impulse response has fallen below −100 dB.
    @Test func tailCoversTheRing() {
        let configuration = ProcessorConfiguration.eq(bands: [EQBand(.highpass, frequency: 30, slope: 48),
                                                              EQBand(.peak, frequency: 40, gain: 6, q: 8)])
        let tail = configuration.traits(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 1)).tail
        #expect(tail > 0 && tail < 96000)
        var impulse = [Float](repeating: 0, count: tail + 4800)
        impulse[0] = 1
        let output = ProcessorTestKit.run(configuration, [impulse])[0]
        #expect(output[tail...].allSatisfy { abs($0) < 1e-5 })
    }

    /// A decaying state rounds to zero instead of reaching subnormal numbers (which would be slow).
    @Test func silenceAfterSignalReachesExactZero() {
        var signal = ProcessorTestKit.noise(4800, seed: 5)
        signal += [Float](repeating: 0, count: 48000 * 4)
        let output = ProcessorTestKit.run(.eq(bands: [EQBand(.peak, frequency: 50, gain: 6, q: 4)]), [signal],
                                          blockSize: 8192)[0]
        #expect(output.suffix(1000).allSatisfy { $0 == 0 })
        #expect(!output.contains { $0 != 0 && abs($0) < Float.leastNormalMagnitude })
    }
}
