import DSP
import Foundation
import Testing

/// gate: exact open and closed levels, hold measured to the sample, attack/release constants, a naive
/// reference model, side-chain, and the kit.
@Suite struct GateTests {
    static func linear(_ db: Double) -> Double { pow(10, db / 20) }

    /// The gain (output / input) per sample, where the input is not zero.
    static func gains(_ p: GateParameters, _ input: [Float], key: [Float]? = nil) -> [Double] {
        let output = ProcessorTestKit.run(.gate(p), [input], sidechain: key.map { [$0] })[0]
        return zip(output, input).map { Double($0) / Double($1) }
    }

    @Test func closedAndOpenLevelsAreExact() {
        let range = -30.0, closed = Float(Self.linear(range))
        let quiet = ProcessorTestKit.noise(10000, amplitude: 0.005, seed: 2)  // below −40 dB: stays closed
        let output = ProcessorTestKit.run(.gate(GateParameters(threshold: -40, range: range)), [quiet])[0]
        #expect(output == quiet.map { $0 * closed })
        // Open: every sample at or above the threshold; after the attack the input comes through bit for bit.
        let loud = (0..<10000).map { Float($0 % 2 == 0 ? 0.5 : -0.3) }
        let opened = ProcessorTestKit.run(.gate(GateParameters(threshold: -40, range: range, attack: 0.001)), [loud])[0]
        #expect(Array(opened[2000...]) == Array(loud[2000...]))
        // −inf: closed is silence.
        let silent = ProcessorTestKit.run(.gate(GateParameters(threshold: -40, range: -.infinity)), [quiet])[0]
        #expect(silent.allSatisfy { $0 == 0 })
    }

    /// Identity: a range of 0 dB never changes anything, open or closed.
    @Test func zeroRangeIsANull() {
        let input = [ProcessorTestKit.noise(20000, amplitude: 0.3, seed: 12), ProcessorTestKit.noise(20000, amplitude: 0.001, seed: 13)]
        let output = ProcessorTestKit.run(.gate(GateParameters(threshold: -20, range: 0)), input)
        #expect(ProcessorTestKit.bits(output) == ProcessorTestKit.bits(input))
    }

    /// The gate stays fully open for exactly round(hold·fs) samples after the last sample above the threshold.
    @Test(arguments: [0.0, 0.005, 0.020, 0.1])
    func holdTimeIsExact(hold: Double) {
        let last = 5999
        let input = (0..<20000).map { Float($0 <= last ? 0.5 : 0.001) }
        let gains = Self.gains(GateParameters(threshold: -20, range: -40, attack: 0.0005, hold: hold, release: 0.05), input)
        let holdSamples = Int((hold * 48000).rounded())
        #expect(gains[(last - 100)...(last + holdSamples)].allSatisfy { $0 == 1 })
        #expect(gains[last + holdSamples + 1] < 1)
    }

    /// Opening and closing cover 1 − 1/e of the gain step after the attack and release times (within 5 %).
    @Test(arguments: [(0.001, 0.1), (0.005, 0.25), (0.0002, 0.02)])
    func timeConstants(attack: Double, release: Double) {
        let range = -40.0, closed = Self.linear(range)
        let open = 10000, close = 30000
        let input = (0..<(close + Int(release * 48000 * 20))).map { Float($0 >= open && $0 < close ? 0.5 : 0.001) }
        let gains = Self.gains(GateParameters(threshold: -20, range: range, attack: attack, hold: 0, release: release), input)
        let rise = closed + (1 - closed) * (1 - exp(-1.0)), fall = closed + (1 - closed) * exp(-1.0)
        let attackSamples = (open..<gains.count).first { gains[$0] >= rise }! - open
        let releaseSamples = (close..<gains.count).first { gains[$0] <= fall }! - close
        #expect(abs(Double(attackSamples + 1) / (attack * 48000) - 1) < 0.05, "attack \(attackSamples) samples")
        #expect(abs(Double(releaseSamples + 1) / (release * 48000) - 1) < 0.05, "release \(releaseSamples) samples")
        #expect(abs(gains[close + Int(release * 48000 * 20) - 1] - closed) < 1e-6)
    }

    /// A naive per-sample model written from the documented behaviour (Double, libm).
    static func reference(_ p: GateParameters, _ input: [Float]) -> [Double] {
        let fs = 48000.0
        let attack = p.attack > 0 ? exp(-1 / (p.attack * fs)) : 0, release = p.release > 0 ? exp(-1 / (p.release * fs)) : 0
        let hold = Int((p.hold * fs).rounded()), threshold = Self.linear(p.threshold), closed = Self.linear(p.range)
        var gain = closed, sinceAbove = Int.max / 2
        return input.map { x in
            sinceAbove = abs(Double(x)) >= threshold ? 0 : sinceAbove + 1
            let target = sinceAbove <= hold ? 1 : closed
            gain = target + (target > gain ? attack : release) * (gain - target)
            return Double(x) * gain
        }
    }

    @Test func matchesNaiveReference() {
        let envelope = (0..<48000).map { Float(abs(sin(Double($0) / 2500))) }
        let input = zip(ProcessorTestKit.noise(48000, amplitude: 0.5, seed: 9), envelope).map { $0 * $1 }
        let p = GateParameters(threshold: -12, range: -60, attack: 0.002, hold: 0.015, release: 0.08)
        let output = ProcessorTestKit.run(.gate(p), [input])[0]
        let expected = Self.reference(p, input)
        let worst = zip(output, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-6, "worst deviation \(worst)")
    }

    /// Keyed: a loud key opens the gate on a quiet signal; silence on the key keeps it closed.
    @Test func sidechainOpensTheGate() {
        let quiet = ProcessorTestKit.sine(440, frames: 20000, amplitude: 0.01)
        let key = (0..<20000).map { Float($0 >= 10000 ? 0.5 : 0) }
        let gains = Self.gains(GateParameters(threshold: -30, range: -50, attack: 0.001, hold: 0.01, release: 0.05),
                               quiet, key: key)
        let closed = Self.linear(-50)
        #expect(gains[100..<10000].filter { !$0.isNaN }.allSatisfy { abs($0 - closed) < 1e-6 })
        #expect(gains[12000..<20000].filter { !$0.isNaN }.allSatisfy { $0 == 1 })
    }

    @Test(arguments: [GateParameters(), GateParameters(threshold: -20, range: -.infinity, attack: 0, hold: 0.05, release: 0.3)])
    func kit(p: GateParameters) {
        let envelope = (0..<30000).map { Float(abs(sin(Double($0) / 1500))) }
        let input = [ProcessorTestKit.noise(30000, amplitude: 0.4, seed: 3), ProcessorTestKit.noise(30000, amplitude: 0.2, seed: 4)]
            .map { zip($0, envelope).map { $0 * $1 } }
        ProcessorTestKit.expectBlockSizeInvariance(.gate(p), input)
        ProcessorTestKit.expectBlockSizeInvariance(.gate(p), [input[0]], sidechain: input)
        ProcessorTestKit.expectResetRepeats(.gate(p), input)
        var gate = Gate(p)
        #expect(gate.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 64, channels: 2)) == ProcessorTraits())
    }
}
