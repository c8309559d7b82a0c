import Convolution
import DSP
import Foundation
import Testing

/// Convolution reverb: output against direct time-domain convolution in Double (mono, stereo and true-stereo IRs,
/// several block sizes, IRs spanning many partitions), latency honesty, predelay, mix, and the kit.
@Suite struct ConvolutionReverbTests {
    typealias Kit = ProcessorTestKit
    static let partition = ConvolutionReverbParameters.partitionSize

    /// A decaying-noise IR.
    static func impulse(_ frames: Int, seed: UInt64) -> [Float] {
        let noise = Kit.noise(frames, amplitude: 0.5, seed: seed)
        return (0..<frames).map { noise[$0] * Float(exp(-4 * Double($0) / Double(frames))) }
    }

    static func parameters(channels: Int, frames: Int, predelay: Double = 0, mix: Double = 1)
        -> ConvolutionReverbParameters {
        ConvolutionReverbParameters(ir: ImpulseResponseFile(path: "test.wav", frames: Int64(frames), sampleRate: 48000,
                                                            channels: channels), predelay: predelay, mix: mix)
    }

    /// y[n] = Σₖ h[k]·x[n − delay − k], in Double, sample by sample.
    static func direct(_ x: [Float], _ h: [Float], delay: Int = 0) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { x in
            h.withUnsafeBufferPointer { h in
                for n in delay..<max(delay, x.count) {
                    var sum = 0.0
                    for k in 0..<min(h.count, n - delay + 1) { sum += Double(h[k]) * Double(x[n - delay - k]) }
                    y[n] = sum
                }
            }
        }
        return y
    }

    /// Relative error energy in dB: 10·log10(Σ(y − ref)² / Σ ref²).
    static func errorDB(_ y: ArraySlice<Float>, _ reference: ArraySlice<Double>) -> Double {
        var error = 0.0, energy = 0.0
        for (a, b) in zip(y, reference) {
            error += (Double(a) - b) * (Double(a) - b)
            energy += b * b
        }
        return 10 * log10(error / energy)
    }

    /// The expected wet output per channel for each IR layout (see ConvolutionReverb's header).
    static func reference(_ input: [[Float]], _ ir: [[Float]], delay: Int = 0) -> [[Double]] {
        func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }
        switch ir.count {
        case 4:
            return [add(direct(input[0], ir[0], delay: delay), direct(input[1], ir[2], delay: delay)),
                    add(direct(input[0], ir[1], delay: delay), direct(input[1], ir[3], delay: delay))]
        case 2: return [direct(input[0], ir[0], delay: delay), direct(input[1], ir[1], delay: delay)]
        default: return input.map { direct($0, ir[0], delay: delay) }
        }
    }

    @Test(arguments: [(1, 1), (1, 2), (2, 2), (4, 2)])
    func matchesDirectConvolution(irChannels: Int, channels: Int) {
        let frames = 12000, irFrames = 5 * Self.partition + 321  // six partitions, the last one partial
        let ir = (0..<irChannels).map { Self.impulse(irFrames, seed: UInt64(10 + $0)) }
        let input = (0..<channels).map { Kit.noise(frames, seed: UInt64(20 + $0)) }
        let expected = Self.reference(input, ir)
        for blockSize in [1, 64, 65, 512, 8193] {
            var processor: any AudioProcessor = ConvolutionReverb(Self.parameters(channels: irChannels, frames: irFrames),
                                                                  impulse: ir)
            let output = Kit.run(&processor, input, blockSize: blockSize)
            for c in 0..<channels {
                // The output lags by one partition (the declared latency).
                let error = Self.errorDB(output[c][Self.partition...], expected[c][..<(frames - Self.partition)])
                #expect(error < -120, "IR \(irChannels) ch, channel \(c), block \(blockSize): \(error) dB")
                #expect(output[c].prefix(Self.partition).allSatisfy { $0 == 0 })
            }
        }
    }

    /// A long IR (3 s, 141 partitions) against the direct sum on a stretch of its output.
    @Test func longImpulseResponse() {
        let irFrames = 144000, frames = 160000
        let ir = [Self.impulse(irFrames, seed: 3)]
        let input = [Kit.noise(frames, seed: 4)]
        var processor: any AudioProcessor = ConvolutionReverb(Self.parameters(channels: 1, frames: irFrames), impulse: ir)
        let output = Kit.run(&processor, input, blockSize: 4096)[0]
        // Direct convolution of the last 300 output samples only (each a 144000-term sum).
        let from = frames - 300
        var expected = [Double](repeating: 0, count: 300)
        for i in 0..<300 {
            let n = from - Self.partition + i
            var sum = 0.0
            for k in 0..<irFrames where n - k >= 0 { sum += Double(ir[0][k]) * Double(input[0][n - k]) }
            expected[i] = sum
        }
        let error = Self.errorDB(output[from...], expected[...])
        #expect(error < -120, "\(error) dB")
    }

    @Test func predelayShiftsTheWetSignalExactly() {
        let irFrames = 3000, frames = 9000
        let ir = [Self.impulse(irFrames, seed: 7)]
        let input = [Kit.noise(frames, seed: 8)]
        let predelay = 0.0275  // 1320 samples: a partial partition of silence, then the IR
        var processor: any AudioProcessor = ConvolutionReverb(Self.parameters(channels: 1, frames: irFrames,
                                                                              predelay: predelay), impulse: ir)
        let output = Kit.run(&processor, input, blockSize: 333)[0]
        let expected = Self.direct(input[0], ir[0], delay: 1320)
        #expect(Self.errorDB(output[Self.partition...], expected[..<(frames - Self.partition)]) < -120)
        #expect(output.prefix(Self.partition + 1320).allSatisfy { abs($0) < 1e-6 })
    }

    /// Latency honesty: an identity IR returns the input exactly one partition later, the declared latency.
    @Test func declaredLatencyIsMeasured() {
        var processor: any AudioProcessor = ConvolutionReverb(Self.parameters(channels: 1, frames: 1), impulse: [[1]])
        let traits = processor.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 1))
        var input = [Float](repeating: 0, count: 8000)
        input[1000] = 0.5
        let output = Kit.run(&processor, [input], blockSize: 512, prepare: false)[0]
        let peak = output.indices.max { abs(output[$0]) < abs(output[$1]) }!
        #expect(traits.latency == Self.partition && peak - 1000 == traits.latency)
        #expect(abs(output[peak] - 0.5) < 1e-6)
    }

    /// The plan declares latency and tail from the header alone; the prepared processor agrees.
    @Test(arguments: [(1, 48000, 0.0), (2, 44100, 0.02), (4, 96000, 0.5)])
    func traitsFromHeaderMatchThePreparedProcessor(channels: Int, fileRate: Int, predelay: Double) {
        let fileFrames = 22050
        let ir = ImpulseResponseFile(path: "x.wav", frames: Int64(fileFrames), sampleRate: fileRate, channels: channels)
        let parameters = ConvolutionReverbParameters(ir: ir, predelay: predelay)
        let declared = ProcessorConfiguration.convolutionReverb(parameters)
            .traits(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 2))
        let sessionFrames = ir.frames(atRate: 48000)
        #expect(sessionFrames == Int((Double(fileFrames) * 48000 / Double(fileRate)).rounded()))
        var processor = ConvolutionReverb(parameters, impulse: (0..<channels).map { _ in [Float](repeating: 0.1, count: sessionFrames) })
        let prepared = processor.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 2))
        #expect(declared == prepared)
        #expect(declared.tail == sessionFrames + Int((predelay * 48000).rounded()))
    }

    /// mix 0 is the input delayed by the latency, bit for bit; mix 0.3 is 0.7·dry + 0.3·wet.
    @Test func mixBlendsTheAlignedDrySignal() {
        let ir = [Self.impulse(2500, seed: 1), Self.impulse(2500, seed: 2)]
        let input = [Kit.noise(8000, seed: 5), Kit.noise(8000, seed: 6)]
        var dryOnly: any AudioProcessor = ConvolutionReverb(Self.parameters(channels: 2, frames: 2500, mix: 0), impulse: ir)
        let dry = Kit.run(&dryOnly, input, blockSize: 100)
        for c in 0..<2 {
            #expect(Array(dry[c][Self.partition...]) == Array(input[c][..<(8000 - Self.partition)]))
        }
        var blended: any AudioProcessor = ConvolutionReverb(Self.parameters(channels: 2, frames: 2500, mix: 0.3), impulse: ir)
        let output = Kit.run(&blended, input, blockSize: 100)
        let wet = Self.reference(input, ir)
        for c in 0..<2 {
            let expected = (0..<(8000 - Self.partition)).map { 0.7 * Double(input[c][$0]) + 0.3 * wet[c][$0] }
            #expect(Self.errorDB(output[c][Self.partition...], expected[...]) < -120)
        }
    }

    @Test(arguments: [1, 2, 4])
    func kit(irChannels: Int) {
        let ir = (0..<irChannels).map { Self.impulse(3000, seed: UInt64(30 + $0)) }
        let input = [Kit.noise(20000, seed: 3), Kit.noise(20000, seed: 4)]
        let parameters = Self.parameters(channels: irChannels, frames: 3000, predelay: 0.01, mix: 0.6)
        func run(_ blockSize: Int) -> [[Float]] {
            var processor: any AudioProcessor = ConvolutionReverb(parameters, impulse: ir)
            return Kit.run(&processor, input, blockSize: blockSize)
        }
        let reference = run(4096)
        for size in Kit.awkwardBlockSizes + [Int.random(in: 2...3000)] {
            #expect(Kit.bits(run(size)) == Kit.bits(reference), "block size \(size)")
        }
        var processor: any AudioProcessor = ConvolutionReverb(parameters, impulse: ir)
        let first = Kit.run(&processor, input, blockSize: 512)
        processor.reset()
        let second = Kit.run(&processor, input, blockSize: 512, prepare: false)
        #expect(Kit.bits(first) == Kit.bits(second))
        #expect(ProcessorConfiguration.convolutionReverb(parameters).requiresStereo == (irChannels > 1))
    }
}
