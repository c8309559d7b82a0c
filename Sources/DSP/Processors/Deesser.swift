import Foundation

/// deesser: a split-band de-esser that turns down only the band above `freq` while that band is too loud.
///
/// Parameters (recipe units):
/// - `freq` Hz, 2 kHz…16 kHz, default 6 kHz: the split (`LinearPhaseSplit`: linear-phase, −6 dB at `freq`,
///   transition 0.75·freq…1.25·freq). The band above it is both what is detected and what is reduced.
/// - `threshold` dB, −60…0, default −30: compared with the band's RMS level (mean square through a one-pole
///   low-pass, τ = 1 ms; the larger of the channels). A sine in the band reads 3.01 dB below its peak.
/// - `range` dB, −40…0, default −12: the most reduction. The band is turned down by
///   min(level − threshold, −range) dB when above the threshold (ratio ∞ up to the range), smoothed in dB with
///   attack 1 ms and release 50 ms (α = exp(−1/(τ·fs))).
/// Output: x[n − latency] − (1 − g)·high[n], so with no reduction (g = 1) it is the input, bit for bit, delayed.
/// Latency: the split's half length (29 samples at 6 kHz, 48 kHz). Tail 0.
public struct Deesser: AudioProcessor {
    public var parameters: DeesserParameters
    private var split: LinearPhaseSplit?
    private var scratch: DeesserScratch?
    private var rmsCoefficient = 0.0, attack = 0.0, release = 0.0
    private var thresholdMeanSquare = 1.0
    private var reduction = 0.0
    private var meanSquare0 = 0.0, meanSquare1 = 0.0

    static let rmsTime = 0.001, attackTime = 0.001, releaseTime = 0.050

    public init(_ parameters: DeesserParameters) { self.parameters = parameters }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        let split = LinearPhaseSplit(frequency: parameters.freq, sampleRate: spec.sampleRate, channels: spec.channels)
        self.split = split
        scratch = DeesserScratch(channels: spec.channels)
        rmsCoefficient = DynamicsMath.coefficient(seconds: Self.rmsTime, sampleRate: spec.sampleRate)
        attack = DynamicsMath.coefficient(seconds: Self.attackTime, sampleRate: spec.sampleRate)
        release = DynamicsMath.coefficient(seconds: Self.releaseTime, sampleRate: spec.sampleRate)
        thresholdMeanSquare = pow(10, parameters.threshold / 10)
        reset()
        return ProcessorTraits(latency: split.latency, tail: 0)
    }

    public mutating func reset() {
        split?.reset()
        reduction = 0
        meanSquare0 = 0
        meanSquare1 = 0
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let split, let scratch else { return }
        let channels = min(io.channelCount, 2)
        let maxReduction = -parameters.range, threshold = parameters.threshold
        var reduction = self.reduction, ms0 = meanSquare0, ms1 = meanSquare1
        let keep = rmsCoefficient, take = 1 - rmsCoefficient
        for i in 0..<frames {
            for c in 0..<channels {
                let (delayed, high) = split.push(io[c][i], channel: c)
                scratch.delayed[c] = delayed
                scratch.high[c] = high
            }
            split.advance()
            let h0 = Double(scratch.high[0]), h1 = Double(scratch.high[channels - 1])
            ms0 = keep * ms0 + take * h0 * h0
            ms1 = keep * ms1 + take * h1 * h1
            if ms0 < 1e-30 { ms0 = 0 }
            if ms1 < 1e-30 { ms1 = 0 }
            let level = max(ms0, ms1)
            var target = 0.0
            if level > thresholdMeanSquare {
                target = min(DynamicsMath.fastDecibels(Float(level)) / 2 - threshold, maxReduction)
            }
            if target > reduction {
                reduction = attack * reduction + (1 - attack) * target
            } else {
                reduction = release * reduction + (1 - release) * target
                if reduction < 1e-12 { reduction = 0 }
            }
            let cut = reduction == 0 ? 0 : 1 - DynamicsMath.fastGain(decibels: -reduction)
            for c in 0..<channels { io[c][i] = scratch.delayed[c] - cut * scratch.high[c] }
        }
        self.reduction = reduction
        meanSquare0 = ms0
        meanSquare1 = ms1
    }
}

/// De-esser settings in canonical units (Hz, dB).
public struct DeesserParameters: Sendable, Equatable, Codable {
    public var freq: Double
    public var threshold: Double
    public var range: Double

    public init(freq: Double = 6000, threshold: Double = -30, range: Double = -12) {
        self.freq = freq
        self.threshold = threshold
        self.range = range
    }
}

/// One frame's delayed input and high band per channel (allocated once).
final class DeesserScratch: @unchecked Sendable {
    let delayed: UnsafeMutablePointer<Float>
    let high: UnsafeMutablePointer<Float>

    init(channels: Int) {
        delayed = .allocate(capacity: max(2, channels))
        delayed.initialize(repeating: 0, count: max(2, channels))
        high = .allocate(capacity: max(2, channels))
        high.initialize(repeating: 0, count: max(2, channels))
    }

    deinit {
        delayed.deallocate()
        high.deallocate()
    }
}
