import Foundation

/// reverb (algorithmic): a 16-line feedback delay network with frequency-dependent decay.
///
/// Signal path: mono sum of the input → predelay → four Schroeder allpass diffusers → 16 delay lines (mutually
/// prime lengths, 30…100 ms scaled by `size`; each slowly modulated by ±0.12 ms through a first-order allpass
/// interpolator, so no energy is lost) → per-line damping shelf (gain per pass from the RT60) → Hadamard
/// feedback matrix (orthogonal: the network itself is lossless) → two orthogonal output taps → `width`.
///
/// Parameters:
/// - `decay` (s, 0.1 … 20, default 1.8): RT60 below the damping crossover (~4 kHz).
/// - `predelay` (s, 0 … 0.5, default 0.02), rounded to whole samples.
/// - `size` (fraction, default 0.5): line lengths × (0.25 + 0.75·size).
/// - `damping` (fraction, default 0.4): RT60 above the crossover = decay × (1 − 0.9·damping).
/// - `width` (fraction, default 1): 0 mono wet signal, 1 fully decorrelated left/right.
/// - `mix` (fraction, default 1: fully wet, as on a send bus): output = (1 − mix)·input + mix·reverb.
///
/// Needs two channels (stereo output). Latency 0. Tail (−90 dB): predelay + longest line + 1.5 × decay (or
/// 1.5 × the slowest diffuser's own RT60, ~0.1–0.2 s, when the decay is shorter).
public struct Reverb: AudioProcessor {
    public var parameters: ReverbParameters
    private var network: FeedbackDelayNetwork?
    private var scratch: AudioBuffer?

    public init(_ parameters: ReverbParameters) { self.parameters = parameters }

    /// Automation of `mix` or the wet `width` (read per block; the network itself never changes).
    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {
        switch parameter {
        case .mix: parameters.mix = min(1, max(0, value))
        case .width: parameters.width = min(1, max(0, value))
        default: return
        }
    }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        network = FeedbackDelayNetwork(parameters, sampleRate: spec.sampleRate)
        scratch = AudioBuffer(channels: 3, capacity: max(1, spec.maxBlockSize))
        return ProcessorTraits(latency: 0, tail: ReverbDesign.tail(parameters, sampleRate: spec.sampleRate))
    }

    public mutating func reset() { network?.reset() }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let network, let scratch else { return }
        let input = scratch[0], wetLeft = scratch[1], wetRight = scratch[2]
        let left = io[0], right = io[io.channelCount - 1]
        if io.channelCount == 1 {
            input.update(from: left, count: frames)
        } else {
            for i in 0..<frames { input[i] = 0.5 * (left[i] + right[i]) }
        }
        network.process(input: input, left: wetLeft, right: wetRight, frames: frames)

        let dry = Float(1 - parameters.mix), wet = Float(parameters.mix)
        // width: mid/side on the wet signal.
        let sideGain = Float(parameters.width)
        if io.channelCount == 1 {
            for i in 0..<frames { left[i] = dry * left[i] + wet * (0.5 * (wetLeft[i] + wetRight[i])) }
            return
        }
        for i in 0..<frames {
            let mid = 0.5 * (wetLeft[i] + wetRight[i]), side = 0.5 * (wetLeft[i] - wetRight[i]) * sideGain
            left[i] = dry * left[i] + wet * (mid + side)
            right[i] = dry * right[i] + wet * (mid - side)
        }
    }
}

/// The algorithmic reverb's settings in canonical units.
public struct ReverbParameters: Sendable, Equatable, Codable {
    /// RT60 in seconds.
    public var decay: Double
    /// Seconds.
    public var predelay: Double
    /// Fractions 0…1.
    public var size: Double
    public var damping: Double
    public var width: Double
    public var mix: Double

    public init(decay: Double = 1.8, predelay: Double = 0.02, size: Double = 0.5, damping: Double = 0.4,
                width: Double = 1, mix: Double = 1) {
        self.decay = decay
        self.predelay = predelay
        self.size = size
        self.damping = damping
        self.width = width
        self.mix = mix
    }
}
