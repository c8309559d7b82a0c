import Foundation

/// Splits a signal into the band above a frequency and the rest with a linear-phase FIR, so that the two bands
/// sum back to the input exactly (delayed by `latency`): high = x[n − latency] − lowpass(x)[n].
///
/// The low-pass is a Kaiser-windowed sinc (β = 5.653: 60 dB stopband) with its −6 dB point at `frequency` and a
/// transition band `frequency`/2 wide, so the high band is below −60 dB under 0.75·frequency and within 0.01 dB
/// of the input above 1.25·frequency. Length 2·half + 1 with half = ⌈3.62·fs/frequency⌉ (29 at 6 kHz, 48 kHz).
/// Because the filter is real and symmetric, scaling the high band by g ∈ [0, 1] gives a response between g and 1
/// at every frequency: no bumps or phase notches at the split.
final class LinearPhaseSplit: @unchecked Sendable {
    let latency: Int
    private let length: Int
    /// Taps h[latency … 2·latency] (the filter is symmetric).
    private let taps: UnsafeMutablePointer<Float>
    private let histories: [UnsafeMutablePointer<Float>]
    private var position = 0

    init(frequency: Double, sampleRate: Double, channels: Int) {
        let half = Int((3.62 * sampleRate / frequency).rounded(.up))
        latency = half
        length = 2 * half + 1
        let beta = 5.653
        let cutoff = frequency / sampleRate  // cycles per sample
        var design = [Double](repeating: 0, count: half + 1)
        for k in 0...half {
            let ratio = Double(k) / Double(half)
            let window = OversampledPeakDetector.besselI0(beta * max(0, 1 - ratio * ratio).squareRoot())
                / OversampledPeakDetector.besselI0(beta)
            let x = 2 * cutoff * Double(k)
            let sinc = k == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
            design[k] = 2 * cutoff * sinc * window
        }
        // Unity gain at DC, so the high band carries no low-frequency residue.
        let dc = design[0] + 2 * design.dropFirst().reduce(0, +)
        taps = .allocate(capacity: half + 1)
        for k in 0...half { taps[k] = Float(design[k] / dc) }
        histories = (0..<channels).map { _ in
            let ring = UnsafeMutablePointer<Float>.allocate(capacity: 2 * (2 * half + 1))
            ring.initialize(repeating: 0, count: 2 * (2 * half + 1))
            return ring
        }
    }

    deinit {
        taps.deallocate()
        for history in histories { history.deallocate() }
    }

    /// Pushes one sample of `channel`; returns (the input delayed by `latency`, the band above the split) for the
    /// same instant. Call for every channel of a frame, then `advance()`.
    @inline(__always)
    func push(_ x: Float, channel: Int) -> (delayed: Float, high: Float) {
        let ring = histories[channel]
        ring[position] = x
        ring[position + length] = x
        let window = ring + position + 1  // oldest first; the centre is `latency` back from the newest
        let centre = window[latency]
        var s0 = taps[0] * centre, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var k = 1
        while k + 3 <= latency {
            s0 += taps[k] * (window[latency - k] + window[latency + k])
            s1 += taps[k + 1] * (window[latency - k - 1] + window[latency + k + 1])
            s2 += taps[k + 2] * (window[latency - k - 2] + window[latency + k + 2])
            s3 += taps[k + 3] * (window[latency - k - 3] + window[latency + k + 3])
            k += 4
        }
        while k <= latency {
            s0 += taps[k] * (window[latency - k] + window[latency + k])
            k += 1
        }
        return (centre, centre - ((s0 + s1) + (s2 + s3)))
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
}
