import Foundation

/// limiter: a true-peak, stereo-linked look-ahead brickwall limiter.
///
/// Parameters (recipe units):
/// - `ceiling` dBTP, −20…0, default −1: the output's true peak (4× oversampled, BS.1770 style) stays at or below it.
/// - `release` s, 0…5, default 50 ms: after a peak the gain recovers toward 1 by a one-pole step,
///   α = exp(−1/(τ·fs)) (1 − 1/e of the way after τ).
/// - `lookahead` s, 0.5 ms…20 ms, default 1.5 ms: the audio is delayed by round(lookahead·fs) samples (at least
///   `OversampledPeakDetector.delay` + 2·guard + 1), which is the declared latency.
///
/// How the gain never lets a peak through, without a clipper: per frame the detector gives the largest 4×
/// oversampled magnitude p over all channels (interpolator delay D = 24 samples); the needed gain is
/// r = min(1, ceiling/p). A sliding minimum over W + 2G + 2 frames (W = latency − D − G, guard G = 4) holds it, a
/// release smoother lets it rise again, and a W + 1 frame moving average turns each drop into a linear ramp
/// that reaches the held value exactly when the peak's interval arrives at the output and keeps it for G
/// frames either side (so the interpolated values between samples see flat gain as well). Every stage only
/// lowers the gain below each r it covers, so the output's true peak stays at the ceiling up to the
/// detector's accuracy (passband error ≤ 0.001 dB to 20 kHz at 48 kHz). Gains are exact: a signal that never
/// needs reduction comes out bit-identical, only delayed. Tail 0.
public struct Limiter: AudioProcessor {
    public var parameters: LimiterParameters
    private var state: LimiterState?

    /// Frames of flat gain kept on each side of a detected interval.
    static let guardFrames = 4

    public init(_ parameters: LimiterParameters) { self.parameters = parameters }

    /// Latency in samples at a sample rate: the look-ahead, but never less than the detector needs.
    public static func latency(lookahead: Double, sampleRate: Double) -> Int {
        max(Int((lookahead * sampleRate).rounded()), OversampledPeakDetector.delay + 2 * guardFrames + 1)
    }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        let latency = Self.latency(lookahead: parameters.lookahead, sampleRate: spec.sampleRate)
        let ramp = latency - OversampledPeakDetector.delay - Self.guardFrames
        state = LimiterState(channels: spec.channels, capacity: spec.maxBlockSize, latency: latency, ramp: ramp,
                             ceiling: Decibels.toLinear(parameters.ceiling),
                             release: DynamicsMath.coefficient(seconds: parameters.release, sampleRate: spec.sampleRate),
                             hold: ramp + 2 * Self.guardFrames + 2)
        return ProcessorTraits(latency: latency, tail: 0)
    }

    public mutating func reset() { state?.reset() }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let state else { return }
        var done = 0
        while done < frames {
            let count = min(frames - done, state.capacity)
            state.computeGains(io, offset: done, count: count)
            let gains = state.gains
            for c in 0..<io.channelCount {
                let samples = io[c] + done
                state.delay.process(samples, count: count, channel: c)
                for i in 0..<count { samples[i] *= gains[i] }
            }
            done += count
        }
    }
}

/// Limiter settings in canonical units (dB true peak, seconds).
public struct LimiterParameters: Sendable, Equatable, Codable {
    public var ceiling: Double
    public var release: Double
    public var lookahead: Double

    public init(ceiling: Double = -1, release: Double = 0.050, lookahead: Double = 0.0015) {
        self.ceiling = ceiling
        self.release = release
        self.lookahead = lookahead
    }
}

/// The limiter's running state: detector, sliding minimum, release, moving average, delay and per-block gains.
final class LimiterState: @unchecked Sendable {
    let capacity: Int
    let gains: UnsafeMutablePointer<Float>
    let delay: LookaheadDelay
    private let detector: OversampledPeakDetector
    private let channels: Int
    private let ceiling: Double
    private let release: Double

    /// Sliding minimum over `hold` frames: a deque of (value, frame) in a ring, values increasing front to back.
    private let hold: Int
    private let minValues: UnsafeMutablePointer<Double>
    private let minFrames: UnsafeMutablePointer<Int>
    private var minFront = 0, minCount = 0
    private var frame = 0

    /// Release-smoothed gain, and the moving average over `ramp + 1` frames in fixed point (exact sums).
    private var smoothed = 1.0
    private let window: Int
    private let ring: UnsafeMutablePointer<Int64>
    private var ringPosition = 0
    private var sum: Int64
    private static let one = Int64(1) << 40

    init(channels: Int, capacity: Int, latency: Int, ramp: Int, ceiling: Double, release: Double, hold: Int) {
        self.capacity = max(1, capacity)
        self.channels = channels
        self.ceiling = ceiling
        self.release = release
        self.hold = hold
        window = ramp + 1
        gains = .allocate(capacity: self.capacity)
        gains.initialize(repeating: 1, count: self.capacity)
        delay = LookaheadDelay(channels: channels, delay: latency)
        detector = OversampledPeakDetector(channels: channels, capacity: self.capacity)
        minValues = .allocate(capacity: hold + 1)
        minValues.initialize(repeating: 1, count: hold + 1)
        minFrames = .allocate(capacity: hold + 1)
        minFrames.initialize(repeating: 0, count: hold + 1)
        ring = .allocate(capacity: window)
        ring.initialize(repeating: Self.one, count: window)
        sum = Self.one * Int64(window)
    }

    deinit {
        gains.deallocate()
        minValues.deallocate()
        minFrames.deallocate()
        ring.deallocate()
    }

    func reset() {
        delay.reset()
        detector.reset()
        minFront = 0
        minCount = 0
        frame = 0
        smoothed = 1
        ring.update(repeating: Self.one, count: window)
        ringPosition = 0
        sum = Self.one * Int64(window)
    }

    func computeGains(_ io: AudioBuffer, offset: Int, count: Int) {
        let capacity = hold + 1, hold = self.hold, window = self.window, ceiling = self.ceiling
        let release = self.release, minValues = self.minValues, minFrames = self.minFrames, ring = self.ring
        let left = io[0] + offset, right = io[min(1, channels - 1)] + offset
        let peaks = detector.peaks(left, right, count: count, ceiling: ceiling)
        let full = Self.one * Int64(window), inverse = 1 / (Double(window) * Double(Self.one))
        // The running state lives in locals for the loop (class properties would be reloaded every frame).
        var minFront = self.minFront, minCount = self.minCount, frame = self.frame
        var smoothed = self.smoothed, sum = self.sum, ringPosition = self.ringPosition
        for i in 0..<count {
            let peak = peaks[i]
            let needed = Double(peak) > ceiling ? ceiling / Double(peak) : 1

            // Sliding minimum of `needed` over the last `hold` frames (a monotonic deque in a ring).
            var end = minFront + minCount
            if end >= capacity { end -= capacity }
            while minCount > 0 {
                let last = end == 0 ? capacity - 1 : end - 1
                guard minValues[last] >= needed else { break }
                minCount -= 1
                end = last
            }
            minValues[end] = needed
            minFrames[end] = frame
            minCount += 1
            if minFrames[minFront] <= frame - hold {
                minFront += 1
                if minFront == capacity { minFront = 0 }
                minCount -= 1
            }
            let held = minValues[minFront]
            frame += 1

            // Instant drop, exponential recovery; snapped to 1 so untouched material stays bit-exact.
            if held <= smoothed {
                smoothed = held
            } else {
                smoothed = held + release * (smoothed - held)
                if held - smoothed < 1e-9 { smoothed = held }
            }

            // Moving average (a linear ramp between levels) in exact fixed point: each value rounds down, never
            // above its target, and a window of ones averages to exactly 1.
            let quantised = Int64(smoothed * Double(Self.one))
            sum += quantised - ring[ringPosition]
            ring[ringPosition] = quantised
            ringPosition += 1
            if ringPosition == window { ringPosition = 0 }
            let average = sum == full ? 1 : Double(sum) * inverse
            let gain = Float(average)
            gains[i] = Double(gain) > average ? gain.nextDown : gain
        }
        self.minFront = minFront
        self.minCount = minCount
        self.frame = frame
        self.smoothed = smoothed
        self.sum = sum
        self.ringPosition = ringPosition
    }
}
