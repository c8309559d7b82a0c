import Foundation

/// gate: a downward expander that attenuates the signal by `range` while its level stays below `threshold`.
///
/// Parameters (recipe units):
/// - `threshold` dB, −100…0, default −40: the gate opens on any sample whose peak (largest |x| across the
///   channels, or across the key's channels when keyed) reaches it.
/// - `range` dB, −inf…0, default −40: the gain while closed (−inf = silence).
/// - `attack` s, 0…1, default 1 ms: opening time constant. `release` s, 0…10, default 100 ms: closing time
///   constant. The linear gain moves toward its target (1 open, 10^(range/20) closed) by a one-pole step,
///   α = exp(−1/(τ·fs)), covering 1 − 1/e of the way after τ; within 1e-9 of the target it snaps onto it, so
///   open and closed levels are exact.
/// - `hold` s, 0…5, default 10 ms: the gate stays open for round(hold·fs) samples after the last sample at or
///   above the threshold before it starts to close. Hold longer than half a period of the lowest note keeps the
///   gate from chattering on zero crossings.
/// - `sidechain` (engine): the key replaces the input as detector signal.
/// Starts closed. Latency 0, tail 0.
public struct Gate: AudioProcessor {
    public var parameters: GateParameters
    private var thresholdMagnitude: Float = 1
    private var closedGain = 0.0
    private var attack = 0.0, release = 0.0
    private var holdSamples = 0
    /// Current gain and samples since the level was last at or above the threshold.
    private var gain = 0.0
    private var sinceOpen = 0

    public init(_ parameters: GateParameters) { self.parameters = parameters }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        thresholdMagnitude = Float(Decibels.toLinear(parameters.threshold))
        closedGain = Decibels.toLinear(parameters.range)
        attack = DynamicsMath.coefficient(seconds: parameters.attack, sampleRate: spec.sampleRate)
        release = DynamicsMath.coefficient(seconds: parameters.release, sampleRate: spec.sampleRate)
        holdSamples = Int((parameters.hold * spec.sampleRate).rounded())
        reset()
        return ProcessorTraits()
    }

    public mutating func reset() {
        gain = closedGain
        sinceOpen = holdSamples + 1
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        let key = sidechain ?? io
        let left = key[0], right = key[min(1, key.channelCount - 1)]
        let outLeft = io[0], outRight = io[io.channelCount - 1], stereo = io.channelCount > 1
        var gain = self.gain, sinceOpen = self.sinceOpen
        let hold = holdSamples, closed = closedGain, threshold = thresholdMagnitude
        for i in 0..<frames {
            if max(abs(left[i]), abs(right[i])) >= threshold {
                sinceOpen = 0
            } else if sinceOpen <= hold {
                sinceOpen += 1
            }
            let target = sinceOpen <= hold ? 1.0 : closed
            if gain != target {
                let coefficient = target > gain ? attack : release
                gain = target + coefficient * (gain - target)
                if abs(gain - target) < 1e-9 { gain = target }
            }
            let g = Float(gain)
            outLeft[i] *= g
            if stereo { outRight[i] *= g }
        }
        self.gain = gain
        self.sinceOpen = sinceOpen
    }
}

/// Gate settings in canonical units (dB, seconds).
public struct GateParameters: Sendable, Equatable, Codable {
    public var threshold: Double
    public var range: Double
    public var attack: Double
    public var hold: Double
    public var release: Double

    public init(threshold: Double = -40, range: Double = -40, attack: Double = 0.001, hold: Double = 0.010,
                release: Double = 0.100) {
        self.threshold = threshold
        self.range = range
        self.attack = attack
        self.hold = hold
        self.release = release
    }
}
