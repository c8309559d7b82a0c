import DSP
import Foundation
import Testing

/// deesser: a tone in the sibilant band is reduced by the expected amount, a low tone is untouched, no
/// reduction is an exact (delayed) null, and the kit.
@Suite struct DeesserTests {
    static func db(_ x: Double) -> Double { 20 * log10(x) }

    /// Fitted amplitude of a sine at `frequency` over the second half of `x`.
    static func amplitude(_ x: [Float], _ frequency: Double) -> Double {
        let start = x.count / 2
        let fit = fitSine(x[start...], frequency: frequency, startIndex: start)
        return fit
    }

    /// Least-squares amplitude of a·sin + b·cos at a known frequency (the other tones average out over the span).
    static func fitSine(_ x: ArraySlice<Float>, frequency: Double, startIndex: Int) -> Double {
        var ss = 0.0, cc = 0.0, sc = 0.0, xs = 0.0, xc = 0.0
        for (k, value) in x.enumerated() {
            let t = 2 * Double.pi * frequency * Double(startIndex + k) / 48000
            let s = sin(t), c = cos(t)
            ss += s * s; cc += c * c; sc += s * c
            xs += Double(value) * s; xc += Double(value) * c
        }
        let det = ss * cc - sc * sc
        let a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det
        return (a * a + b * b).squareRoot()
    }

    /// Band RMS level L = 20·log10(A/√2); expected reduction min(L − threshold, −range), within 0.2 dB.
    @Test(arguments: [(0.3, -30.0, -12.0), (0.1, -30.0, -12.0), (0.5, -20.0, -6.0), (0.05, -40.0, -20.0)])
    func sibilantToneIsReducedByTheExpectedAmount(amplitude: Double, threshold: Double, range: Double) {
        let frequency = 9000.0
        let tone = ProcessorTestKit.sine(frequency, frames: 24000, amplitude: amplitude)
        let p = DeesserParameters(freq: 6000, threshold: threshold, range: range)
        let output = ProcessorTestKit.run(.deesser(p), [tone, tone])
        let level = Self.db(amplitude / 2.0.squareRoot())
        let expected = min(max(0, level - threshold), -range)
        for channel in output {
            let reduction = -Self.db(Self.amplitude(channel, frequency) / amplitude)
            #expect(abs(reduction - expected) < 0.2, "reduction \(reduction) dB, expected \(expected) dB")
        }
    }

    /// A loud low tone alone never triggers (its high band is > 60 dB down): the output is the input, delayed.
    /// Mixed with a sibilant tone, the low tone keeps its level (within 0.01 dB) while the sibilant is reduced.
    @Test func lowToneIsUntouched() {
        let low = ProcessorTestKit.sine(1000, frames: 24000, amplitude: 0.8)
        var deesser: any AudioProcessor = Deesser(DeesserParameters(freq: 6000, threshold: -40, range: -12))
        let latency = deesser.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 1)).latency
        let alone = ProcessorTestKit.run(&deesser, [low], blockSize: 512, prepare: false)[0]
        #expect(alone == [Float](repeating: 0, count: latency) + low.dropLast(latency))

        let high = ProcessorTestKit.sine(10000, frames: 24000, amplitude: 0.2)
        let mixed = zip(low, high).map { $0 + $1 }
        let output = ProcessorTestKit.run(.deesser(DeesserParameters(freq: 6000, threshold: -40, range: -12)), [mixed])[0]
        #expect(abs(Self.db(Self.amplitude(output, 1000) / 0.8)) < 0.01)
        #expect(abs(Self.db(Self.amplitude(output, 10000) / 0.2) - -12) < 0.2)
    }

    @Test func latencyIsTheSplitHalfLength() {
        for (freq, expected) in [(6000.0, 29), (2000.0, 87), (12000.0, 15)] {
            let configuration = ProcessorConfiguration.deesser(DeesserParameters(freq: freq))
            let measured = ProcessorTestKit.measuredLatency(configuration)
            #expect(measured.declared == expected)
            #expect(measured.measured == expected)
        }
    }

    /// Below threshold the output is the input delayed, bit for bit, whatever the material.
    @Test func noReductionIsAnExactNull() {
        let input = [ProcessorTestKit.noise(20000, amplitude: 0.02, seed: 5), ProcessorTestKit.noise(20000, amplitude: 0.02, seed: 6)]
        let output = ProcessorTestKit.run(.deesser(DeesserParameters(threshold: -20)), input)
        for c in 0..<2 {
            let delayed = output[c] == [Float](repeating: 0, count: 29) + input[c].dropLast(29)
            #expect(delayed, "channel \(c) is not the delayed input")
        }
    }

    @Test(arguments: [DeesserParameters(), DeesserParameters(freq: 4500, threshold: -45, range: -20)])
    func kit(p: DeesserParameters) {
        let input = [ProcessorTestKit.noise(30000, amplitude: 0.5, seed: 7), ProcessorTestKit.noise(30000, amplitude: 0.2, seed: 8)]
        ProcessorTestKit.expectBlockSizeInvariance(.deesser(p), input)
        ProcessorTestKit.expectBlockSizeInvariance(.deesser(p), [input[0]])
        ProcessorTestKit.expectResetRepeats(.deesser(p), input)
    }
}
