import DSP
import Foundation
import Testing

/// `set(_:to:)`, the automation entry point, against the reference-tested static path: a processor moved to a
/// value before it runs must process exactly like one configured with that value; moving it later keeps its state
/// (no reset) and changes its output from that sample on.
@Suite struct ParameterAutomationTests {
    static let cases: [(String, ProcessorConfiguration, ProcessorParameter, Double, ProcessorConfiguration)] = [
        ("gain", .gain(decibels: 0), .gain, -7.5, .gain(decibels: -7.5)),
        ("width", .width(1), .width, 1.6, .width(1.6)),
        ("eq band gain", .eq(bands: [EQBand(.peak, frequency: 1000, gain: 0, q: 1)]), .bandGain(0), 6,
         .eq(bands: [EQBand(.peak, frequency: 1000, gain: 6, q: 1)])),
        ("eq band freq (2nd band)", .eq(bands: [EQBand(.highpass, frequency: 80), EQBand(.highshelf, frequency: 4000, gain: 3)]),
         .bandFrequency(1), 9000,
         .eq(bands: [EQBand(.highpass, frequency: 80), EQBand(.highshelf, frequency: 9000, gain: 3)])),
        ("eq band q", .eq(bands: [EQBand(.notch, frequency: 500, q: 1)]), .bandQ(0), 8,
         .eq(bands: [EQBand(.notch, frequency: 500, q: 8)])),
        ("compressor threshold", .compressor(CompressorParameters(threshold: -10)), .threshold, -30,
         .compressor(CompressorParameters(threshold: -30))),
        ("compressor ratio", .compressor(CompressorParameters(ratio: 2)), .ratio, 8, .compressor(CompressorParameters(ratio: 8))),
        ("compressor makeup", .compressor(CompressorParameters()), .makeup, 4,
         .compressor(CompressorParameters(makeup: .decibels(4)))),
        ("compressor mix", .compressor(CompressorParameters()), .mix, 0.4, .compressor(CompressorParameters(mix: 0.4))),
        ("delay mix", .delay(DelayParameters(time: 0.01)), .mix, 0.7, .delay(DelayParameters(time: 0.01, mix: 0.7))),
        ("delay feedback", .delay(DelayParameters(time: 0.01)), .feedback, 0.8,
         .delay(DelayParameters(time: 0.01, feedback: 0.8))),
        ("reverb mix", .reverb(ReverbParameters()), .mix, 0.25, .reverb(ReverbParameters(mix: 0.25))),
        ("reverb width", .reverb(ReverbParameters()), .width, 0.3, .reverb(ReverbParameters(width: 0.3))),
        ("saturate drive", .saturate(SaturateParameters()), .drive, 18, .saturate(SaturateParameters(drive: 18))),
        ("saturate mix", .saturate(SaturateParameters()), .mix, 0.5, .saturate(SaturateParameters(mix: 0.5))),
    ]

    static let input = [ProcessorTestKit.noise(9600, seed: 11), ProcessorTestKit.noise(9600, seed: 12)]

    @Test(arguments: cases.indices)
    func setBeforeRunningEqualsTheStaticConfiguration(_ index: Int) {
        let (name, start, parameter, value, target) = Self.cases[index]
        var moved = start.makeProcessor()
        _ = moved.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 2))
        moved.set(parameter, to: value)
        let automated = ProcessorTestKit.run(&moved, Self.input, blockSize: 512, prepare: false)
        let reference = ProcessorTestKit.run(target, Self.input, blockSize: 512)
        var worst: Float = 0
        for c in 0..<2 { for n in 0..<9600 { worst = max(worst, abs(automated[c][n] - reference[c][n])) } }
        #expect(worst <= 1e-6, "\(name): \(worst)")
    }

    /// Moving a parameter mid-signal keeps the filter state: the output up to the move is the unmoved processor's,
    /// and right after it the output continues without a jump larger than the signal's own.
    @Test func movingMidSignalKeepsState() {
        let sine = (0..<9600).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / 48000)) }
        var eq = ProcessorConfiguration.eq(bands: [EQBand(.peak, frequency: 1000, gain: 0, q: 1)]).makeProcessor()
        _ = eq.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 4800, channels: 1))
        let first = ProcessorTestKit.run(&eq, [Array(sine[0..<4800])], blockSize: 4800, prepare: false)[0]
        eq.set(.bandGain(0), to: 1)
        let second = ProcessorTestKit.run(&eq, [Array(sine[4800...])], blockSize: 4800, prepare: false)[0]
        let step = abs(second[0] - first[4799])
        let sineStep = Float(0.5 * 2 * Double.pi * 1000 / 48000)
        #expect(step < sineStep * 1.2, "a 1 dB move at a 1 kHz peak: step \(step) vs the sine's \(sineStep)")
        #expect(first == ProcessorTestKit.run(.eq(bands: [EQBand(.peak, frequency: 1000, gain: 0, q: 1)]),
                                              [Array(sine[0..<4800])], blockSize: 4800)[0])
    }
}
