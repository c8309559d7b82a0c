import DSP
import Foundation
import Testing

/// compressor: static curve against the Giannoulis–Massberg–Reiss formula, time constants, a naive reference
/// implementation, make-up, link, side-chain, nulls and the kit.
@Suite struct CompressorTests {
    typealias Parameters = CompressorParameters

    /// The paper's eq. 4, written out here in Double: output level (dB) for input level x.
    static func formulaOutput(_ x: Double, threshold t: Double, ratio r: Double, knee w: Double) -> Double {
        if 2 * (x - t) < -w { return x }
        if 2 * abs(x - t) <= w, w > 0 { return x + (1 / r - 1) * pow(x - t + w / 2, 2) / (2 * w) }
        return t + (x - t) / r
    }

    static func db(_ x: Double) -> Double { 20 * log10(x) }
    static func linear(_ db: Double) -> Double { pow(10, db / 20) }

    /// Steady gain (dB) the compressor applies to a constant (DC) input at `level` dB, long after settling.
    static func steadyGain(_ p: Parameters, level: Double, frames: Int = 24000, stereoRight: Bool = true) -> (Double, Double) {
        let value = Float(linear(level))
        let input = [[Float](repeating: value, count: frames), [Float](repeating: stereoRight ? value : 0, count: frames)]
        let output = ProcessorTestKit.run(.compressor(p), input)
        let latency = Int((p.lookahead * 48000).rounded())
        let last = frames - 1
        let left = db(Double(output[0][last]) / Double(input[0][last - latency]))
        return (left, Double(output[1][last]))
    }

    @Test(arguments: [
        Parameters(threshold: -24, ratio: 4, knee: 12, attack: 0.001, release: 0.005),
        Parameters(threshold: -18, ratio: 2.5, knee: 6, attack: 0.002, release: 0.01),
        Parameters(threshold: -30, ratio: 100, knee: 0, attack: 0.001, release: 0.005),
        Parameters(threshold: -10, ratio: 1.5, knee: 24, attack: 0.001, release: 0.005, detector: .rms),
        Parameters(threshold: -40, ratio: 8, knee: 3, attack: 0.0005, release: 0.005, lookahead: 0.002),
    ])
    func staticCurveMatchesFormula(p: Parameters) {
        var worst = 0.0
        for level in stride(from: -60.0, through: 0, by: 0.75) {
            let measured = Self.steadyGain(p, level: level).0
            let expected = Self.formulaOutput(level, threshold: p.threshold, ratio: p.ratio, knee: p.knee) - level
            worst = max(worst, abs(measured - expected))
            #expect(abs(measured - expected) < 0.1, "level \(level) dB: \(measured) vs \(expected)")
        }
        #expect(worst < 0.001, "worst static-curve error \(worst) dB")
    }

    /// A sine through the rms detector: its level is the sine's RMS (peak − 3.01 dB).
    @Test func rmsDetectorReadsSineRMS() {
        let p = Parameters(threshold: -30, ratio: 4, knee: 0, attack: 0.005, release: 0.05, detector: .rms)
        for amplitude in [0.1, 0.3, 0.9] {
            let sine = ProcessorTestKit.sine(1000, frames: 48000, amplitude: amplitude)
            let output = ProcessorTestKit.run(.compressor(p), [sine])[0]
            let gain = Self.db(ProcessorTestKit.rms(output[38400...]) / ProcessorTestKit.rms(sine[38400...]))
            let expected = Self.formulaOutput(Self.db(amplitude / 2.0.squareRoot()), threshold: -30, ratio: 4, knee: 0)
                - Self.db(amplitude / 2.0.squareRoot())
            #expect(abs(gain - expected) < 0.1, "amplitude \(amplitude): \(gain) vs \(expected)")
        }
    }

    /// Attack and release: a step in gain reduction covers 1 − 1/e after τ (within 5 %).
    @Test(arguments: [(0.010, 0.100), (0.001, 0.050), (0.030, 0.500)])
    func timeConstants(attack: Double, release: Double) {
        let p = Parameters(threshold: -20, ratio: 4, knee: 0, attack: attack, release: release)
        let step = 48000, frames = 2 * step + Int(release * 48000 * 6)
        let input = (0..<frames).map { i -> Float in i >= 1000 && i < 1000 + step ? 1 : 0.001 }
        let output = ProcessorTestKit.run(.compressor(p), [input])[0]
        let reduction = (0..<frames).map { -Self.db(Double(output[$0]) / Double(input[$0])) }
        let full = 15.0  // (0 − (−20))·(1 − 1/4)
        #expect(abs(reduction[1000 + step - 1] - full) < 0.001)
        let rise: Double = full * (1 - exp(-1)), fall: Double = full * exp(-1)
        let releaseStart: Int = 1000 + step
        let attackCross: Int = (1000..<frames).first { reduction[$0] >= rise }! - 1000
        let releaseCross: Int = (releaseStart..<frames).first { reduction[$0] <= fall }! - releaseStart
        #expect(abs(Double(attackCross) / (attack * 48000) - 1) < 0.05, "attack \(attackCross) samples")
        #expect(abs(Double(releaseCross) / (release * 48000) - 1) < 0.05, "release \(releaseCross) samples")
    }

    /// A naive per-sample model with libm's log10/pow, written here from the documented design.
    static func reference(_ p: Parameters, _ input: [[Float]]) -> [[Double]] {
        let fs = 48000.0
        let aA = p.attack > 0 ? exp(-1 / (p.attack * fs)) : 0, aR = p.release > 0 ? exp(-1 / (p.release * fs)) : 0
        let delay = Int((p.lookahead * fs).rounded())
        var makeup = 0.0
        switch p.makeup {
        case .decibels(let value): makeup = value
        case .auto: makeup = (0 - formulaOutput(0, threshold: p.threshold, ratio: p.ratio, knee: p.knee)) / 2
        }
        var y = 0.0
        var output = input.map { $0.map { _ in 0.0 } }
        for n in 0..<input[0].count {
            let level = input.map { abs(Double($0[n])) }.max()!
            let x = level > 0 ? db(level) : -1000
            let target = x - formulaOutput(x, threshold: p.threshold, ratio: p.ratio, knee: p.knee)
            y = target > y ? aA * y + (1 - aA) * target : aR * y + (1 - aR) * target
            let gain = linear(makeup - y)
            for c in input.indices {
                let dry = n >= delay ? Double(input[c][n - delay]) : 0
                output[c][n] = dry * (p.mix * gain + 1 - p.mix)
            }
        }
        return output
    }

    @Test(arguments: [
        Parameters(),
        Parameters(threshold: -30, ratio: 8, knee: 12, attack: 0.002, release: 0.040, makeup: .auto, lookahead: 0.003),
        Parameters(threshold: -24, ratio: 3, knee: 0, attack: 0, release: 0.2, makeup: .decibels(4), mix: 0.4),
        // Attack slower than release: the smoothing's two-step form then composes minima.
        Parameters(threshold: -20, ratio: 4, knee: 6, attack: 0.080, release: 0.020),
    ])
    func matchesNaiveReference(p: Parameters) {
        let frames = 24000
        let envelope = (0..<frames).map { Float(0.2 + 0.8 * abs(sin(Double($0) / 3000))) }
        let input = [ProcessorTestKit.noise(frames, amplitude: 0.9, seed: 5), ProcessorTestKit.noise(frames, amplitude: 0.5, seed: 6)]
            .map { zip($0, envelope).map { $0 * $1 } }
        let output = ProcessorTestKit.run(.compressor(p), input)
        let expected = Self.reference(p, input)
        var worst = 0.0
        for c in 0..<2 {
            for n in 0..<frames where abs(expected[c][n]) > 1e-4 {
                worst = max(worst, abs(Self.db(abs(Double(output[c][n]) / expected[c][n]))))
            }
        }
        #expect(worst < 0.001, "worst deviation from the naive model: \(worst) dB")
    }

    @Test func autoMakeupIsHalfTheReductionAtFullScale() {
        // Hard knee: reduction at 0 dBFS = 20·(1 − 1/4) = 15 dB, so auto = +7.5 dB below the threshold.
        let hard = Parameters(threshold: -20, ratio: 4, knee: 0, makeup: .auto)
        #expect(abs(Self.steadyGain(hard, level: -40).0 - 7.5) < 0.001)
        // Knee reaching past 0 dBFS: reduction(0) = (1 − 1/2)·(0 + 2 + 4)²/(2·8) = 1.125 dB, auto = 0.5625 dB.
        let soft = Parameters(threshold: -2, ratio: 2, knee: 8, makeup: .auto)
        #expect(abs(Self.steadyGain(soft, level: -40).0 - 0.5625) < 0.001)
        #expect(abs(CompressorCurve(threshold: -2, ratio: 2, knee: 8).autoMakeup - 0.5625) < 1e-12)
    }

    /// Stereo link: a loud left channel turns the silent-but-for-a-trace right one down by the same gain.
    @Test func channelsAreLinked() {
        let p = Parameters(threshold: -20, ratio: 4, knee: 0, attack: 0.001, release: 0.01)
        let frames = 24000
        let input = [[Float](repeating: 1, count: frames), [Float](repeating: 0.01, count: frames)]
        let output = ProcessorTestKit.run(.compressor(p), input)
        #expect(abs(Self.db(Double(output[0][frames - 1])) - -15) < 0.001)
        #expect(abs(Self.db(Double(output[1][frames - 1]) / 0.01) - -15) < 0.001)
    }

    /// A key signal drives the gain; the input itself does not. The detector high-pass ignores a low key.
    @Test func sidechainKeysAndItsHighpassFilters() {
        let frames = 24000
        let quiet = [ProcessorTestKit.sine(440, frames: frames, amplitude: 0.01)]
        let loudKey = [ProcessorTestKit.sine(50, frames: frames, amplitude: 1), ProcessorTestKit.sine(50, frames: frames, amplitude: 1)]
        let p = Parameters(threshold: -20, ratio: 4, knee: 0, attack: 0.001, release: 0.5)
        let keyed = ProcessorTestKit.run(.compressor(p), quiet, sidechain: loudKey)[0]
        let reduced = Self.db(ProcessorTestKit.rms(keyed[12000...]) / ProcessorTestKit.rms(quiet[0][12000...]))
        #expect(abs(reduced - -15) < 0.2, "keyed reduction \(reduced) dB")
        // Unkeyed, the quiet input is below threshold: bit-exact pass-through.
        #expect(ProcessorTestKit.run(.compressor(p), quiet)[0] == quiet[0])
        // A 500 Hz detector high-pass takes the 50 Hz key 40 dB down: below threshold, no reduction.
        var filtered = p
        filtered.sidechainHighpass = 500
        let highpassed = ProcessorTestKit.run(.compressor(filtered), quiet, sidechain: loudKey)[0]
        let residual = Self.db(ProcessorTestKit.rms(highpassed[12000...]) / ProcessorTestKit.rms(quiet[0][12000...]))
        #expect(abs(residual) < 0.05, "high-passed key still reduces by \(residual) dB")
    }

    // MARK: Nulls, latency, kit

    let input = [ProcessorTestKit.noise(30000, amplitude: 0.6, seed: 21), ProcessorTestKit.noise(30000, amplitude: 0.6, seed: 22)]

    static func delayed(_ x: [Float], by n: Int) -> [Float] { [Float](repeating: 0, count: n) + x.dropLast(n) }

    @Test func identitySettingsReturnTheDelayedInput() {
        let lookahead = 0.005, latency = 240
        let expected = input.map { Self.delayed($0, by: latency) }
        // Ratio 1: no reduction anywhere.
        let ratioOne = ProcessorTestKit.run(.compressor(Parameters(threshold: -60, ratio: 1, lookahead: lookahead)), input)
        #expect(ProcessorTestKit.bits(ratioOne) == ProcessorTestKit.bits(expected))
        // Threshold 0 dB, hard knee, peaks below full scale.
        let thresholdZero = ProcessorTestKit.run(.compressor(Parameters(threshold: 0, knee: 0, lookahead: lookahead)), input)
        #expect(ProcessorTestKit.bits(thresholdZero) == ProcessorTestKit.bits(expected))
        // Mix 0: the dry signal, however hard the compression.
        let dry = ProcessorTestKit.run(.compressor(Parameters(threshold: -50, ratio: 20, makeup: .decibels(12),
                                                              lookahead: lookahead, mix: 0)), input)
        #expect(ProcessorTestKit.bits(dry) == ProcessorTestKit.bits(expected))
    }

    @Test func latencyIsTheLookahead() {
        for lookahead in [0.0, 0.0015, 0.005, 0.02] {
            let configuration = ProcessorConfiguration.compressor(Parameters(lookahead: lookahead))
            let measured = ProcessorTestKit.measuredLatency(configuration)
            #expect(measured.declared == Int((lookahead * 48000).rounded()))
            #expect(measured.declared == measured.measured)
            // A low-level impulse comes out unchanged, exactly `latency` samples later.
            var impulse = [Float](repeating: 0, count: 4000)
            impulse[100] = 0.001
            let output = ProcessorTestKit.run(configuration, [impulse])[0]
            #expect(output == Self.delayed(impulse, by: measured.declared))
        }
    }

    @Test(arguments: [
        Parameters(),
        Parameters(threshold: -30, ratio: 6, detector: .rms, lookahead: 0.004, mix: 0.5, sidechainHighpass: 120),
        Parameters(threshold: -25, ratio: 20, knee: 0, attack: 0, release: 0.02, makeup: .auto),
    ])
    func kit(p: Parameters) {
        let key = [ProcessorTestKit.noise(30000, amplitude: 0.9, seed: 31), ProcessorTestKit.noise(30000, amplitude: 0.3, seed: 32)]
        ProcessorTestKit.expectBlockSizeInvariance(.compressor(p), input)
        ProcessorTestKit.expectBlockSizeInvariance(.compressor(p), [input[0]], sidechain: key)
        ProcessorTestKit.expectResetRepeats(.compressor(p), input)
        ProcessorTestKit.expectResetRepeats(.compressor(p), input, sidechain: key)
    }
}
