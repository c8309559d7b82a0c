import DSP
import Engine
import Foundation

/// Measures each processor's speed on stereo 48 kHz noise, as a realtime factor (audio seconds per CPU second),
/// release build, one thread. `bounce bench processors` prints the table.
public enum ProcessorBenchmark {
    /// One processor setting to measure. Add an entry with every new processor.
    public struct Case: Sendable {
        public var name: String
        public var configuration: ProcessorConfiguration
        /// Builds the processor; defaults to the engine's `ProcessorFactory` at 48 kHz (which loads a convolution
        /// reverb's IR file), as a render would.
        public var make: @Sendable () -> any AudioProcessor

        public init(_ name: String, _ configuration: ProcessorConfiguration,
                    make: (@Sendable () -> any AudioProcessor)? = nil) {
            self.name = name
            self.configuration = configuration
            self.make = make ?? {
                do {
                    return try ProcessorFactory.make(configuration, sampleRate: 48000)
                } catch {
                    fatalError("benchmark '\(name)': \(error)")
                }
            }
        }
    }

    public static let cases: [Case] = [
        Case("gain", .gain(decibels: -3)),
        Case("polarity", .polarity(.all)),
        Case("trim 100 smp", .trim(samples: 100)),
        Case("delay 1/8 fb 40% lowpass 4 kHz", .delay(DelayParameters(time: 0.25, feedback: 0.4, lowpass: 4000))),
        Case("delay pingpong 3/16", .delay(DelayParameters(time: 0.375, feedback: 0.5, pingpong: true))),
        Case("reverb 1.8 s", .reverb(ReverbParameters())),
        Case("reverb 4 s size 100%", .reverb(ReverbParameters(decay: 4, size: 1, damping: 0.6))),
        SpaceBenchmarks.convolution(seconds: 3, channels: 2),
        SpaceBenchmarks.convolution(seconds: 3, channels: 4),
        Case("eq 1 band (peak)", .eq(bands: [EQBand(.peak, frequency: 1000, gain: 3, q: 1.2)])),
        Case("eq 3 bands (4 sections)",
             .eq(bands: [EQBand(.highpass, frequency: 30, slope: 24), EQBand(.peak, frequency: 250, gain: -2, q: 1.5),
                         EQBand(.highshelf, frequency: 8000, gain: 2)])),
        Case("eq highpass 48 dB/oct", .eq(bands: [EQBand(.highpass, frequency: 40, slope: 48)])),
        Case("width 1.4", .width(1.4)),
        Case("mono_below 120 Hz", .monoBelow(hertz: 120)),
        Case("saturate tape +12 dB", .saturate(SaturateParameters(drive: 12, mix: 1, type: .tape))),
        Case("saturate tube +6 dB 50%", .saturate(SaturateParameters(drive: 6, mix: 0.5, type: .tube))),
        Case("saturate hard +6 dB", .saturate(SaturateParameters(drive: 6, mix: 1, type: .hard))),
        Case("compressor peak -18 dB 4:1", .compressor(CompressorParameters())),
        Case("compressor rms, lookahead 5 ms, mix 50%, sc highpass 100 Hz",
             .compressor(CompressorParameters(threshold: -24, ratio: 3, detector: .rms, lookahead: 0.005, mix: 0.5,
                                              sidechainHighpass: 100))),
        Case("gate -30 dB range -40 dB", .gate(GateParameters(threshold: -30))),
        Case("limiter -1 dBTP", .limiter(LimiterParameters())),
        Case("limiter -1 dBTP lookahead 5 ms release 200 ms",
             .limiter(LimiterParameters(ceiling: -1, release: 0.2, lookahead: 0.005))),
        Case("limiter -12 dBTP (reducing all the time)", .limiter(LimiterParameters(ceiling: -12))),
        Case("deesser 6 kHz -30 dB", .deesser(DeesserParameters())),
    ]

    public struct Result: Sendable {
        public var name: String
        public var realtimeFactor: Double
    }

    /// Runs every case (or those whose name contains `filter`) over `seconds` of audio in 1024-frame blocks.
    public static func run(seconds: Double = 30, filter: String? = nil) -> [Result] {
        let rate = 48000, block = 1024
        let frames = Int(seconds * Double(rate))
        let buffer = AudioBuffer(channels: 2, capacity: block)
        let key = AudioBuffer(channels: 2, capacity: block)
        var state: UInt64 = 12345
        let noise = (0..<(rate * 2)).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state) >> 40) / Float(1 << 23) * 0.5
        }
        var results: [Result] = []
        for entry in cases where filter.map({ entry.name.contains($0) }) ?? true {
            var processor = entry.make()
            _ = processor.prepare(ProcessSpec(sampleRate: Double(rate), maxBlockSize: block, channels: 2))
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            var done = 0, source = 0
            while done < frames {
                let n = min(block, frames - done)
                for c in 0..<2 {
                    for i in 0..<n {
                        buffer[c][i] = noise[(source + i + c * 7919) % noise.count]
                        key[c][i] = buffer[c][i]
                    }
                }
                source = (source + n) % noise.count
                let start = clock.now
                processor.process(buffer, frames: n, sidechain: key)
                elapsed += clock.now - start
                done += n
            }
            let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            results.append(Result(name: entry.name, realtimeFactor: seconds / max(wall, 1e-9)))
        }
        return results
    }
}
