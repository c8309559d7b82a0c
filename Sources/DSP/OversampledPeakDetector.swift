import Foundation

/// Estimates the true (inter-sample) peak of a signal, 4× oversampled, for the limiter's detector.
///
/// For each input sample x[m] it returns the largest magnitude among x[c] and the band-limited values at c + ¼,
/// c + ½ and c + ¾, with c = m − `delay` (the interpolator needs `delay` samples of future). The interpolator is a
/// Kaiser-windowed sinc (β = 8, cutoff at the input Nyquist frequency, 2·`half` taps per phase) evaluated as three
/// polyphase branches; its passband is flat within 0.001 dB up to 20 kHz at 48 kHz, so it reads programme
/// material like a BS.1770-4 Annex 2 meter (whose own filter is flat to 20 kHz within ±0.1 dB).
///
/// Allocated once (per-channel history rings); `reset` clears them. Not copied: a reference type.
final class OversampledPeakDetector: @unchecked Sendable {
    /// Taps on each side of the interpolated point.
    static let half = 24
    /// Samples between the newest input and the interval the returned peak describes.
    static let delay = half

    private let length = 2 * OversampledPeakDetector.half
    /// taps[t] holds, for history position t (oldest first), the weights of phases 0…3 (phase 0 is x[c] itself).
    private let taps: UnsafeMutablePointer<SIMD4<Float>>
    /// Per channel a ring of `length` samples stored twice, so the window is always contiguous.
    private let histories: [UnsafeMutablePointer<Float>]
    private var position = 0

    init(channels: Int) {
        let half = Self.half, length = 2 * Self.half
        taps = .allocate(capacity: length)
        let beta = 8.0
        for t in 0..<length {
            let j = Double(t - (half - 1))  // offset of this history sample from c
            var lanes = SIMD4<Float>(j == 0 ? 1 : 0, 0, 0, 0)
            for k in 1...3 {
                let d = Double(k) / 4 - j  // distance from the interpolated point
                let ratio = d / Double(half)
                let window = Self.besselI0(beta * max(0, 1 - ratio * ratio).squareRoot()) / Self.besselI0(beta)
                let sinc = d == 0 ? 1 : sin(Double.pi * d) / (Double.pi * d)
                lanes[k] = Float(sinc * window)
            }
            taps[t] = lanes
        }
        histories = (0..<channels).map { _ in
            let ring = UnsafeMutablePointer<Float>.allocate(capacity: 2 * length)
            ring.initialize(repeating: 0, count: 2 * length)
            return ring
        }
    }

    deinit {
        taps.deallocate()
        for history in histories { history.deallocate() }
    }

    /// Pushes one sample of `channel`; returns the peak magnitude of the interval starting `delay` samples back.
    /// Call for every channel of a frame, then `advance()`.
    @inline(__always)
    func push(_ x: Float, channel: Int) -> Float {
        let ring = histories[channel]
        ring[position] = x
        ring[position + length] = x
        // Oldest sample of the window sits right after the newest one.
        let window = ring + position + 1
        var even = SIMD4<Float>(), odd = SIMD4<Float>()
        var t = 0
        while t < length {
            even += taps[t] * SIMD4(repeating: window[t])
            odd += taps[t + 1] * SIMD4(repeating: window[t + 1])
            t += 2
        }
        let sum = even + odd
        return max((-sum).max(), sum.max())
    }

    @inline(__always)
    func advance() {
        position += 1
        if position == length { position = 0 }
    }

    func reset() {
        for history in histories { history.update(repeating: 0, count: 2 * length) }
        position = 0
    }

    /// Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 20).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        while term > 1e-12 * sum {
            term *= (x / (2 * k)) * (x / (2 * k))
            sum += term
            k += 1
        }
        return sum
    }
}
