import DSP
import Foundation
import Testing

/// The shared kit every processor's tests use: run a processor over a signal in blocks, and the generic checks
/// (block-size invariance, reset, latency honesty). Reference-model and null tests are per processor.
enum ProcessorTestKit {
    static let awkwardBlockSizes = [1, 64, 65, 512, 8193]

    /// Runs `processor` (prepared here) over planar `input` in blocks of `blockSize`; returns planar output.
    static func run(_ processor: inout any AudioProcessor, _ input: [[Float]], blockSize: Int, sampleRate: Double = 48000,
                    sidechain: [[Float]]? = nil, prepare: Bool = true) -> [[Float]] {
        let channels = input.count, frames = input[0].count
        if prepare {
            _ = processor.prepare(ProcessSpec(sampleRate: sampleRate, maxBlockSize: blockSize, channels: channels))
        }
        let buffer = AudioBuffer(channels: channels, capacity: blockSize)
        let key = sidechain.map { AudioBuffer(channels: $0.count, capacity: blockSize) }
        var output = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channels)
        var start = 0
        while start < frames {
            let n = min(blockSize, frames - start)
            for c in 0..<channels { for i in 0..<n { buffer[c][i] = input[c][start + i] } }
            if let key, let sidechain {
                for c in 0..<sidechain.count { for i in 0..<n { key[c][i] = sidechain[c][start + i] } }
            }
            processor.process(buffer, frames: n, sidechain: key)
            for c in 0..<channels { for i in 0..<n { output[c][start + i] = buffer[c][i] } }
            start += n
        }
        return output
    }

    /// Convenience: a fresh processor from a configuration.
    static func run(_ configuration: ProcessorConfiguration, _ input: [[Float]], blockSize: Int = 512,
                    sampleRate: Double = 48000, sidechain: [[Float]]? = nil) -> [[Float]] {
        var processor = configuration.makeProcessor()
        return run(&processor, input, blockSize: blockSize, sampleRate: sampleRate, sidechain: sidechain)
    }

    /// Output is bit-identical for block sizes 1, 64, 65, 512, 8193 and a random size.
    static func expectBlockSizeInvariance(_ configuration: ProcessorConfiguration, _ input: [[Float]],
                                          sampleRate: Double = 48000, sidechain: [[Float]]? = nil,
                                          sourceLocation: SourceLocation = #_sourceLocation) {
        let reference = run(configuration, input, blockSize: 4096, sampleRate: sampleRate, sidechain: sidechain)
        for size in awkwardBlockSizes + [Int.random(in: 2...3000)] {
            let output = run(configuration, input, blockSize: size, sampleRate: sampleRate, sidechain: sidechain)
            #expect(bits(output) == bits(reference), "block size \(size)", sourceLocation: sourceLocation)
        }
    }

    /// After `reset()`, the same input gives the same output again, bit for bit.
    static func expectResetRepeats(_ configuration: ProcessorConfiguration, _ input: [[Float]],
                                   sampleRate: Double = 48000, sidechain: [[Float]]? = nil,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        var processor = configuration.makeProcessor()
        let first = run(&processor, input, blockSize: 512, sampleRate: sampleRate, sidechain: sidechain)
        processor.reset()
        let second = run(&processor, input, blockSize: 512, sampleRate: sampleRate, sidechain: sidechain,
                         prepare: false)
        #expect(bits(first) == bits(second), "output after reset differs", sourceLocation: sourceLocation)
    }

    /// The declared latency equals where an impulse's response peaks (for processors that pass an impulse).
    static func measuredLatency(_ configuration: ProcessorConfiguration, sampleRate: Double = 48000,
                                frames: Int = 16384, impulseAt: Int = 1000) -> (declared: Int, measured: Int) {
        var processor = configuration.makeProcessor()
        let declared = processor.prepare(ProcessSpec(sampleRate: sampleRate, maxBlockSize: 512, channels: 1)).latency
        var input = [Float](repeating: 0, count: frames)
        input[impulseAt] = 0.5
        let output = run(&processor, [input], blockSize: 512, sampleRate: sampleRate, prepare: false)[0]
        let peak = output.indices.max { abs(output[$0]) < abs(output[$1]) }!
        return (declared, peak - impulseAt)
    }

    static func bits(_ channels: [[Float]]) -> [[UInt32]] { channels.map { $0.map(\.bitPattern) } }

    /// Deterministic test noise in ±amplitude.
    static func noise(_ frames: Int, amplitude: Float = 0.5, seed: UInt64 = 1) -> [Float] {
        var state = seed &* 0x9E3779B97F4A7C15 | 1
        return (0..<frames).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * amplitude
        }
    }

    static func sine(_ frequency: Double, frames: Int, sampleRate: Double = 48000, amplitude: Double = 0.5) -> [Float] {
        (0..<frames).map { Float(amplitude * sin(2 * .pi * frequency * Double($0) / sampleRate)) }
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
    }
}
