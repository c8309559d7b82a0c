import Foundation

/// Estimates the true (inter-sample) peak of a signal, 4× oversampled, for the limiter's detector.
///
/// For each input sample x[m] it returns the largest magnitude over the interval [c, c + 1], c = m − `delay`
/// (the interpolators need `delay` samples of future), as read by two 4× interpolators:
/// - an accurate one: a Kaiser-windowed sinc (β = 8, cutoff at the input Nyquist frequency, 2·`half` taps per
///   phase) at c + ¼, ½, ¾, plus x[c] itself. Its passband is flat within 0.001 dB up to 20 kHz at 48 kHz, so it
///   follows the band-limited waveform a good D/A converter reconstructs;
/// - the BS.1770-4 Annex 2 polyphase filter (the ITU's 48-tap table) at c + ⅛, ⅜, ⅝, ⅞: the standard's own meter.
///   Its ±0.1 dB passband ripple makes it read up to about 0.25 dB above the waveform on dense harmonic material
///   (band-limited squares), so a limiter that only trusted the accurate interpolator would fail a BS.1770 check.
/// Taking the larger of the two keeps the output within the ceiling by either reading.
///
/// Works a block at a time (`peaks`), four frames per vector. Allocated once (per-channel lines of past samples
/// and the block); `reset` clears them. Not copied: a reference type.
final class OversampledPeakDetector: @unchecked Sendable {
    /// Taps on each side of the interpolated point.
    static let half = 24
    /// Samples between the newest input and the interval the returned peak describes.
    static let delay = half

    /// BS.1770-4 Annex 2, phases 0 and 1 (phase 2 is phase 1 reversed, phase 3 is phase 0 reversed).
    static let ituPhase0: [Double] = [
        0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
        0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500,
    ]
    static let ituPhase1: [Double] = [
        -0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
        0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375,
    ]
    /// The ITU filter's newest tap sits this far after c (its 23.5-tap group delay at 4× is 5.875 samples, so
    /// its four phases then land at c + ⅛ … c + ⅞).
    private static let ituLead = 6
    /// Samples before a block that its first frames' windows reach back to.
    static let history = 2 * half - 1
    /// Frames per test of the quiet bound (a multiple of 4).
    static let boundGroup = 64

    private static let length = 2 * half
    /// Phases 1, 2, 3 of the sinc interpolator, `length` taps each, oldest history sample first, each tap in all
    /// four lanes (the block loops run four frames per vector).
    private let taps: UnsafeMutablePointer<SIMD4<Float>>
    /// The ITU phases 0…3, 12 taps each, reversed so they line up with the history (oldest first), as splats.
    private let ituTaps: UnsafeMutablePointer<SIMD4<Float>>
    /// Per channel a line of `history` past samples followed by the block (plus slack for the last vector),
    /// channel after channel in one allocation; and each channel's per-frame peaks.
    private let lines: UnsafeMutablePointer<Float>
    private let channelPeaks: UnsafeMutablePointer<Float>
    /// The largest frame peak of the block (`peaks(…)` returns it).
    private let framePeaks: UnsafeMutablePointer<Float>
    private let lineStride: Int
    let channels: Int
    let capacity: Int
    /// No interpolated value can exceed the window's largest |sample| times this: the largest sum of |taps| of
    /// any phase (and at least 1, for x[c] itself), with a margin for Float rounding of the dot products.
    let gainBound: Double

    /// `channels`: 1 or 2.
    init(channels: Int, capacity: Int) {
        let half = Self.half, length = Self.length
        self.channels = min(2, max(1, channels))
        let channels = self.channels
        self.capacity = max(1, capacity)
        taps = .allocate(capacity: 3 * length)
        var bound = 1.0
        let beta = 8.0
        for k in 1...3 {
            var sum = 0.0
            for t in 0..<length {
                let j = Double(t - (half - 1))  // offset of this history sample from c
                let d = Double(k) / 4 - j  // distance from the interpolated point
                let ratio = d / Double(half)
                let window = Self.besselI0(beta * max(0, 1 - ratio * ratio).squareRoot()) / Self.besselI0(beta)
                let tap = Float(sin(Double.pi * d) / (Double.pi * d) * window)
                (taps + (k - 1) * length + t).initialize(to: SIMD4(repeating: tap))
                sum += abs(Double(tap))
            }
            bound = max(bound, sum)
        }
        ituTaps = .allocate(capacity: 48)
        let itu = [Self.ituPhase0, Self.ituPhase1, Self.ituPhase1.reversed(), Self.ituPhase0.reversed()]
        for (k, phase) in itu.enumerated() {
            for j in 0..<12 { (ituTaps + k * 12 + (11 - j)).initialize(to: SIMD4(repeating: Float(phase[j]))) }
            bound = max(bound, phase.reduce(0) { $0 + abs(Double(Float($1))) })
        }
        gainBound = bound * (1 + 1e-4)
        lineStride = Self.history + self.capacity + 8
        lines = .allocate(capacity: channels * lineStride)
        lines.initialize(repeating: 0, count: channels * lineStride)
        channelPeaks = .allocate(capacity: channels * (self.capacity + 4))
        channelPeaks.initialize(repeating: 0, count: channels * (self.capacity + 4))
        framePeaks = .allocate(capacity: self.capacity + 4)
        framePeaks.initialize(repeating: 0, count: self.capacity + 4)
    }

    deinit {
        taps.deallocate()
        ituTaps.deallocate()
        lines.deallocate()
        channelPeaks.deallocate()
        framePeaks.deallocate()
    }

    /// Takes `count` (≤ `capacity`) new frames of `left` (and `right` for two channels) and returns, per frame, the
    /// largest 4× oversampled magnitude over all channels of the interval starting `delay` samples before it;
    /// or 0 for frames where that magnitude is provably at or below `ceiling` (all a limiter needs to know).
    ///
    /// Per frame and channel it computes exactly what a per-sample loop over a window of the last `length`
    /// samples would (the same products summed in the same order: four partial sums per phase, lane j taking
    /// taps j, j + 4, …), but four frames at a time, each frame in its own lane, so no horizontal sums are needed
    /// and every tap vector serves four frames. A group of frames whose windows hold no sample above
    /// `ceiling / gainBound` is skipped: no interpolated value there can reach the ceiling.
    func peaks(_ left: UnsafePointer<Float>, _ right: UnsafePointer<Float>, count: Int,
               ceiling: Double) -> UnsafePointer<Float> {
        let history = Self.history
        (lines + history).update(from: left, count: count)
        if channels > 1 { (lines + lineStride + history).update(from: right, count: count) }
        let quiet = Float(ceiling / gainBound)
        var group = 0
        while group < count {
            let end = min(count, group + Self.boundGroup)
            var loudest: Float = 0
            for c in 0..<channels {
                let line = lines + c * lineStride
                for i in group..<(end + history) {
                    let magnitude = abs(line[i])
                    loudest = magnitude > loudest ? magnitude : loudest
                }
            }
            if !(loudest <= quiet) {  // (NaN: compute)
                let rounded = group + (end - group + 3) / 4 * 4
                for c in 0..<channels {
                    Self.channelPeaks(lines + c * lineStride, taps, ituTaps, channelPeaks + c * (capacity + 4),
                                      from: group, to: rounded)
                }
                for i in group..<end {
                    var peak = channelPeaks[i]
                    for c in 1..<max(1, channels) { peak = max(peak, channelPeaks[c * (capacity + 4) + i]) }
                    framePeaks[i] = peak
                }
            } else {
                (framePeaks + group).update(repeating: 0, count: end - group)
            }
            group = end
        }
        for c in 0..<channels {
            let line = lines + c * lineStride
            line.update(from: line + count, count: history)
        }
        return UnsafePointer(framePeaks)
    }

    @inline(__always)
    private static func magnitude(_ v: SIMD4<Float>) -> SIMD4<Float> {
        unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt32>.self) & 0x7FFF_FFFF, to: SIMD4<Float>.self)
    }

    @inline(__always)
    private static func larger(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> { a.replacing(with: b, where: b .> a) }

    /// Peaks of frames `from ..< to` (a multiple of 4 apart) of one channel: frame i's window is `line[i ..< i + length]`.
    @inline(never)
    static func channelPeaks(_ line: UnsafePointer<Float>, _ taps: UnsafePointer<SIMD4<Float>>,
                             _ ituTaps: UnsafePointer<SIMD4<Float>>, _ out: UnsafeMutablePointer<Float>,
                             from: Int, to: Int) {
        let samples = UnsafeRawPointer(line), length = Self.length
        let phase2 = taps + length, phase3 = taps + 2 * length
        @inline(__always) func x(_ index: Int) -> SIMD4<Float> {
            samples.loadUnaligned(fromByteOffset: 4 &* index, as: SIMD4<Float>.self)  // (no overflow checks)
        }
        var i = from
        while i < to {
            // Sinc phases 1…3: partial sums a (phase 1), b (2), c (3), lane j of the per-frame loop ↔ suffix j.
            var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
            var b0 = SIMD4<Float>(), b1 = SIMD4<Float>(), b2 = SIMD4<Float>(), b3 = SIMD4<Float>()
            var c0 = SIMD4<Float>(), c1 = SIMD4<Float>(), c2 = SIMD4<Float>(), c3 = SIMD4<Float>()
            var t = 0
            while t < length {
                let n = i &+ t
                let x0 = x(n), x1 = x(n &+ 1), x2 = x(n &+ 2), x3 = x(n &+ 3)
                a0 += x0 * taps[t]; b0 += x0 * phase2[t]; c0 += x0 * phase3[t]
                a1 += x1 * taps[t &+ 1]; b1 += x1 * phase2[t &+ 1]; c1 += x1 * phase3[t &+ 1]
                a2 += x2 * taps[t &+ 2]; b2 += x2 * phase2[t &+ 2]; c2 += x2 * phase3[t &+ 2]
                a3 += x3 * taps[t &+ 3]; b3 += x3 * phase2[t &+ 3]; c3 += x3 * phase3[t &+ 3]
                t &+= 4
            }
            var peak = larger(larger(magnitude((a0 + a1) + (a2 + a3)), magnitude((b0 + b1) + (b2 + b3))),
                              magnitude((c0 + c1) + (c2 + c3)))
            // The ITU phases over the 12 samples from c − 5 (window index 18), and x[c] itself (index 23).
            let w = i + (half - 1 + ituLead - 11)
            let y0 = x(w), y1 = x(w + 1), y2 = x(w + 2), y3 = x(w + 3), y4 = x(w + 4), y5 = x(w + 5)
            let y6 = x(w + 6), y7 = x(w + 7), y8 = x(w + 8), y9 = x(w + 9), y10 = x(w + 10), y11 = x(w + 11)
            var itu = SIMD4<Float>()
            for k in 0..<4 {
                let h = ituTaps + 12 * k
                let s0 = y0 * h[0] + y4 * h[4] + y8 * h[8], s1 = y1 * h[1] + y5 * h[5] + y9 * h[9]
                let s2 = y2 * h[2] + y6 * h[6] + y10 * h[10], s3 = y3 * h[3] + y7 * h[7] + y11 * h[11]
                itu = larger(itu, magnitude((s0 + s1) + (s2 + s3)))
            }
            peak = larger(magnitude(x(i + half - 1)), larger(peak, itu))
            UnsafeMutableRawPointer(out + i).storeBytes(of: peak, as: SIMD4<Float>.self)
            i += 4
        }
    }

    func reset() {
        lines.update(repeating: 0, count: channels * lineStride)
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
