import Convolution
import DSP
import Foundation

/// Benchmark cases that need more than a configuration: the convolution reverb with a synthetic IR.
enum SpaceBenchmarks {
    /// A convolution reverb with a `seconds`-long IR of exponentially decaying noise (RT60 = seconds / 1.5)
    /// at 48 kHz, with 2 (stereo) or 4 (true-stereo) channels.
    static func convolution(seconds: Double, channels: Int) -> ProcessorBenchmark.Case {
        let frames = Int(seconds * 48000)
        let parameters = ConvolutionReverbParameters(
            ir: ImpulseResponseFile(path: "(synthetic)", frames: Int64(frames), sampleRate: 48000, channels: channels))
        let name = "convolution \(Int(seconds)) s " + (channels == 4 ? "true-stereo IR" : "stereo IR")
        return ProcessorBenchmark.Case(name, .convolutionReverb(parameters)) {
            ConvolutionReverb(parameters, impulse: impulse(frames: frames, channels: channels))
        }
    }

    static func impulse(frames: Int, channels: Int) -> [[Float]] {
        var state: UInt64 = 0x5EED
        let perSample = -6.9 * 1.5 / Double(frames)  // ln(10^-3) per RT60
        return (0..<channels).map { _ in
            (0..<frames).map { n in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let unit = Double(Int64(bitPattern: state) >> 11) / Double(1 << 52)
                return Float(unit * 0.3 * exp(perSample * Double(n)))
            }
        }
    }
}
