/// A cascade of biquad sections run over every channel, in direct form I with Double coefficients and Double
/// state. A reference type so the state is allocated once (in `prepare`) and never copied.
///
/// The sections run in groups of up to four per pass over a channel: each sample goes through every section of
/// the group before the next sample, in Double, so the group's recursions (one per section) overlap in the CPU
/// instead of each pass waiting on one y[n−1] → y[n] chain. Within a group a section's past inputs are the
/// previous section's past outputs, so they are kept once (in registers for the whole block). Groups of one or
/// two sections run both channels of a stereo block in the same loop; larger ones one channel at a time (their
/// state fills the registers). Either way each channel's arithmetic is the same, so a stereo channel gives the
/// same bits as the same signal run mono. Samples are rounded to Float only between groups and at the end.
public final class BiquadCascade: @unchecked Sendable {
    public let sections: [Biquad]
    public let channels: Int
    /// x[n−1], x[n−2], y[n−1], y[n−2] per section per channel: `state[4 * (channel * sections.count + section)]`.
    private let state: UnsafeMutablePointer<Double>
    private let stateCount: Int
    /// Per section b1, b2, a2, a1, b0 at every other index (`stride` Doubles per section): with no two of them
    /// neighbours in memory the optimiser does not pair their products into one vector multiply and a
    /// horizontal add (which put two shuffles and an add on the path from one section to the next).
    private let coefficients: UnsafeMutablePointer<Double>
    /// Sections per pass over the block.
    static let group = 4
    static let stride = BiquadGroupKernel.stride

    public init(sections: [Biquad], channels: Int) {
        self.sections = sections
        self.channels = channels
        stateCount = max(1, 4 * sections.count * channels)
        state = .allocate(capacity: stateCount)
        state.initialize(repeating: 0, count: stateCount)
        let count = max(1, Self.stride * sections.count)
        coefficients = .allocate(capacity: count)
        coefficients.initialize(repeating: 0, count: count)
        for (k, c) in sections.enumerated() {
            for (j, value) in [c.b1, c.b2, c.a2, c.a1, c.b0].enumerated() { coefficients[Self.stride * k + 2 * j] = value }
        }
    }

    deinit {
        state.deallocate()
        coefficients.deallocate()
    }

    /// Filters `frames` frames of `io` in place (the first `channels` channels).
    public func process(_ io: AudioBuffer, frames: Int) {
        let count = min(channels, io.channelCount)
        var first = 0
        while first < sections.count {
            let n = min(Self.group, sections.count - first)
            let c = coefficients + Self.stride * first
            if count == 2 && n <= 2 {
                let left = state + 4 * first, right = state + 4 * (sections.count + first)
                if !(Self.isSilent(left, n, io[0], frames) && Self.isSilent(right, n, io[1], frames)) {
                    BiquadGroupKernel.run(n, c, left, right, io[0], io[1], count: frames)
                }
            } else {
                for channel in 0..<count {
                    let s = state + 4 * (sections.count * channel + first)
                    if !Self.isSilent(s, n, io[channel], frames) {
                        BiquadGroupKernel.run(n, c, s, io[channel], count: frames)
                    }
                }
            }
            first += n
        }
    }

    /// Whether a group's state and a channel's block are all +0: the group's output is then +0 throughout and
    /// its state stays +0 (every output goes through the silence rule, which writes +0), so the loop can be
    /// skipped. Long silences (tracks that rest, tails after the end) cost one pass over the block.
    private static func isSilent(_ s: UnsafeMutablePointer<Double>, _ n: Int, _ x: UnsafeMutablePointer<Float>,
                                 _ frames: Int) -> Bool {
        var bits: UInt64 = 0
        for j in 0..<(4 * n) { bits |= s[j].bitPattern }
        guard bits == 0 else { return false }
        var samples: UInt32 = 0
        x.withMemoryRebound(to: UInt32.self, capacity: frames) { x in
            for i in 0..<frames { samples |= x[i] }
        }
        return samples == 0
    }

    public func reset() { state.update(repeating: 0, count: stateCount) }
}

/// The loops of `BiquadCascade`: up to four direct form I sections per sample.
///
/// Per section y = b1·u[n−1] + b2·u[n−2] − a2·y[n−2] + b0·u − a1·y[n−1], with u the previous section's output
/// (or the input): the recursion y[n−1] → y[n] is one multiply and one subtraction.
/// The silence rule of `BiquadKernel` (two consecutive outputs below 1e-30 clear the section's output history)
/// is checked once per sample for the whole group: only when some output is below 1e-30 is the sample
/// recomputed section by section with the rule applied (out of line, off the recursions' dependency chains).
/// The next section then sees the cleared value as its past input as well (a difference below 1e-30 from
/// running the sections one pass each).
enum BiquadGroupKernel {
    static let stride = 10

    @inline(__always)
    static func step(_ c: UnsafePointer<Double>, _ u: Double, _ u1: Double, _ u2: Double, _ y1: Double,
                     _ y2: Double) -> Double {
        c[0] * u1 + c[2] * u2 - c[4] * y2 + c[8] * u - c[6] * y1
    }

    @inline(__always)
    static func isSmall(_ y: Double) -> Bool { abs(y) < 1e-30 }

    /// `BiquadKernel.isSilent`: clears y and y[n−1] when both are below 1e-30.
    @inline(__always)
    static func flush(_ y: inout Double, _ y1: inout Double) {
        if BiquadKernel.isSilent(y, y1) { y = 0; y1 = 0 }
    }

    /// One sample through 1 section(s) with the silence rule: the outputs, then the cleared y[n−1]s.
    @inline(never)
    static func exact1(_ c: UnsafePointer<Double>, _ x: Double, _ h0a: Double, _ h0b: Double, _ h1a: Double, _ h1b: Double) -> (Double, Double) {
        var h1a = h1a
        var y1 = step(c, x, h0a, h0b, h1a, h1b)
        flush(&y1, &h1a)
        return (y1, h1a)
    }

    /// One sample through 2 section(s) with the silence rule: the outputs, then the cleared y[n−1]s.
    @inline(never)
    static func exact2(_ c: UnsafePointer<Double>, _ x: Double, _ h0a: Double, _ h0b: Double, _ h1a: Double, _ h1b: Double, _ h2a: Double, _ h2b: Double) -> (Double, Double, Double, Double) {
        var h1a = h1a
        var h2a = h2a
        var y1 = step(c, x, h0a, h0b, h1a, h1b)
        flush(&y1, &h1a)
        var y2 = step(c + 10, y1, h1a, h1b, h2a, h2b)
        flush(&y2, &h2a)
        return (y1, y2, h1a, h2a)
    }

    /// One sample through 3 section(s) with the silence rule: the outputs, then the cleared y[n−1]s.
    @inline(never)
    static func exact3(_ c: UnsafePointer<Double>, _ x: Double, _ h0a: Double, _ h0b: Double, _ h1a: Double, _ h1b: Double, _ h2a: Double, _ h2b: Double, _ h3a: Double, _ h3b: Double) -> (Double, Double, Double, Double, Double, Double) {
        var h1a = h1a
        var h2a = h2a
        var h3a = h3a
        var y1 = step(c, x, h0a, h0b, h1a, h1b)
        flush(&y1, &h1a)
        var y2 = step(c + 10, y1, h1a, h1b, h2a, h2b)
        flush(&y2, &h2a)
        var y3 = step(c + 20, y2, h2a, h2b, h3a, h3b)
        flush(&y3, &h3a)
        return (y1, y2, y3, h1a, h2a, h3a)
    }

    /// One sample through 4 section(s) with the silence rule: the outputs, then the cleared y[n−1]s.
    @inline(never)
    static func exact4(_ c: UnsafePointer<Double>, _ x: Double, _ h0a: Double, _ h0b: Double, _ h1a: Double, _ h1b: Double, _ h2a: Double, _ h2b: Double, _ h3a: Double, _ h3b: Double, _ h4a: Double, _ h4b: Double) -> (Double, Double, Double, Double, Double, Double, Double, Double) {
        var h1a = h1a
        var h2a = h2a
        var h3a = h3a
        var h4a = h4a
        var y1 = step(c, x, h0a, h0b, h1a, h1b)
        flush(&y1, &h1a)
        var y2 = step(c + 10, y1, h1a, h1b, h2a, h2b)
        flush(&y2, &h2a)
        var y3 = step(c + 20, y2, h2a, h2b, h3a, h3b)
        flush(&y3, &h3a)
        var y4 = step(c + 30, y3, h3a, h3b, h4a, h4b)
        flush(&y4, &h4a)
        return (y1, y2, y3, y4, h1a, h2a, h3a, h4a)
    }

    /// `n` (1…4) sections with coefficients `c` (`stride` each) and state `s` (4 each) over one channel.
    static func run(_ n: Int, _ c: UnsafePointer<Double>, _ s: UnsafeMutablePointer<Double>,
                    _ io: UnsafeMutablePointer<Float>, count: Int) {
        switch n {
        case 1:
            var h0a = s[0], h0b = s[1]
            var h1a = s[2], h1b = s[3]
            for i in 0..<count {
                let hx = Double(io[i])
                var hy1 = step(c, hx, h0a, h0b, h1a, h1b)
                if isSmall(hy1) {
                    (hy1, h1a) = exact1(c, hx, h0a, h0b, h1a, h1b)
                }
                h0b = h0a; h0a = hx; h1b = h1a; h1a = hy1
                io[i] = Float(hy1)
            }
            s[0] = h0a; s[1] = h0b
            s[2] = h1a; s[3] = h1b
        case 2:
            var h0a = s[0], h0b = s[1]
            var h1a = s[2], h1b = s[3]
            var h2a = s[6], h2b = s[7]
            for i in 0..<count {
                let hx = Double(io[i])
                var hy1 = step(c, hx, h0a, h0b, h1a, h1b)
                var hy2 = step(c + 10, hy1, h1a, h1b, h2a, h2b)
                if isSmall(hy1) || isSmall(hy2) {
                    (hy1, hy2, h1a, h2a) = exact2(c, hx, h0a, h0b, h1a, h1b, h2a, h2b)
                }
                h0b = h0a; h0a = hx; h1b = h1a; h1a = hy1; h2b = h2a; h2a = hy2
                io[i] = Float(hy2)
            }
            s[0] = h0a; s[1] = h0b
            s[2] = h1a; s[3] = h1b
            s[4] = h1a; s[5] = h1b; s[6] = h2a; s[7] = h2b
        case 3:
            var h0a = s[0], h0b = s[1]
            var h1a = s[2], h1b = s[3]
            var h2a = s[6], h2b = s[7]
            var h3a = s[10], h3b = s[11]
            for i in 0..<count {
                let hx = Double(io[i])
                var hy1 = step(c, hx, h0a, h0b, h1a, h1b)
                var hy2 = step(c + 10, hy1, h1a, h1b, h2a, h2b)
                var hy3 = step(c + 20, hy2, h2a, h2b, h3a, h3b)
                if isSmall(hy1) || isSmall(hy2) || isSmall(hy3) {
                    (hy1, hy2, hy3, h1a, h2a, h3a) = exact3(c, hx, h0a, h0b, h1a, h1b, h2a, h2b, h3a, h3b)
                }
                h0b = h0a; h0a = hx; h1b = h1a; h1a = hy1; h2b = h2a; h2a = hy2; h3b = h3a; h3a = hy3
                io[i] = Float(hy3)
            }
            s[0] = h0a; s[1] = h0b
            s[2] = h1a; s[3] = h1b
            s[4] = h1a; s[5] = h1b; s[6] = h2a; s[7] = h2b
            s[8] = h2a; s[9] = h2b; s[10] = h3a; s[11] = h3b
        default:
            var h0a = s[0], h0b = s[1]
            var h1a = s[2], h1b = s[3]
            var h2a = s[6], h2b = s[7]
            var h3a = s[10], h3b = s[11]
            var h4a = s[14], h4b = s[15]
            for i in 0..<count {
                let hx = Double(io[i])
                var hy1 = step(c, hx, h0a, h0b, h1a, h1b)
                var hy2 = step(c + 10, hy1, h1a, h1b, h2a, h2b)
                var hy3 = step(c + 20, hy2, h2a, h2b, h3a, h3b)
                var hy4 = step(c + 30, hy3, h3a, h3b, h4a, h4b)
                if isSmall(hy1) || isSmall(hy2) || isSmall(hy3) || isSmall(hy4) {
                    (hy1, hy2, hy3, hy4, h1a, h2a, h3a, h4a) = exact4(c, hx, h0a, h0b, h1a, h1b, h2a, h2b, h3a, h3b, h4a, h4b)
                }
                h0b = h0a; h0a = hx; h1b = h1a; h1a = hy1; h2b = h2a; h2a = hy2; h3b = h3a; h3a = hy3; h4b = h4a; h4a = hy4
                io[i] = Float(hy4)
            }
            s[0] = h0a; s[1] = h0b
            s[2] = h1a; s[3] = h1b
            s[4] = h1a; s[5] = h1b; s[6] = h2a; s[7] = h2b
            s[8] = h2a; s[9] = h2b; s[10] = h3a; s[11] = h3b
            s[12] = h3a; s[13] = h3b; s[14] = h4a; s[15] = h4b
        }
    }

    /// `n` (1 or 2) sections over two channels in one loop, so that their recursions overlap; each channel's
    /// arithmetic is the mono loop's. `sl`, `sr`: each channel's state, laid out as for the mono loop.
    static func run(_ n: Int, _ c: UnsafePointer<Double>, _ sl: UnsafeMutablePointer<Double>,
                    _ sr: UnsafeMutablePointer<Double>, _ l: UnsafeMutablePointer<Float>,
                    _ r: UnsafeMutablePointer<Float>, count: Int) {
        if n == 1 {
            var h0a = sl[0], h0b = sl[1]
            var h1a = sl[2], h1b = sl[3]
            var g0a = sr[0], g0b = sr[1]
            var g1a = sr[2], g1b = sr[3]
            for i in 0..<count {
                let hx = Double(l[i])
                var hy1 = step(c, hx, h0a, h0b, h1a, h1b)
                if isSmall(hy1) {
                    (hy1, h1a) = exact1(c, hx, h0a, h0b, h1a, h1b)
                }
                let gx = Double(r[i])
                var gy1 = step(c, gx, g0a, g0b, g1a, g1b)
                if isSmall(gy1) {
                    (gy1, g1a) = exact1(c, gx, g0a, g0b, g1a, g1b)
                }
                h0b = h0a; h0a = hx; h1b = h1a; h1a = hy1
                g0b = g0a; g0a = gx; g1b = g1a; g1a = gy1
                l[i] = Float(hy1)
                r[i] = Float(gy1)
            }
            sl[0] = h0a; sl[1] = h0b
            sl[2] = h1a; sl[3] = h1b
            sr[0] = g0a; sr[1] = g0b
            sr[2] = g1a; sr[3] = g1b
        } else {
            var h0a = sl[0], h0b = sl[1]
            var h1a = sl[2], h1b = sl[3]
            var h2a = sl[6], h2b = sl[7]
            var g0a = sr[0], g0b = sr[1]
            var g1a = sr[2], g1b = sr[3]
            var g2a = sr[6], g2b = sr[7]
            for i in 0..<count {
                let hx = Double(l[i])
                var hy1 = step(c, hx, h0a, h0b, h1a, h1b)
                var hy2 = step(c + 10, hy1, h1a, h1b, h2a, h2b)
                if isSmall(hy1) || isSmall(hy2) {
                    (hy1, hy2, h1a, h2a) = exact2(c, hx, h0a, h0b, h1a, h1b, h2a, h2b)
                }
                let gx = Double(r[i])
                var gy1 = step(c, gx, g0a, g0b, g1a, g1b)
                var gy2 = step(c + 10, gy1, g1a, g1b, g2a, g2b)
                if isSmall(gy1) || isSmall(gy2) {
                    (gy1, gy2, g1a, g2a) = exact2(c, gx, g0a, g0b, g1a, g1b, g2a, g2b)
                }
                h0b = h0a; h0a = hx; h1b = h1a; h1a = hy1; h2b = h2a; h2a = hy2
                g0b = g0a; g0a = gx; g1b = g1a; g1a = gy1; g2b = g2a; g2a = gy2
                l[i] = Float(hy2)
                r[i] = Float(gy2)
            }
            sl[0] = h0a; sl[1] = h0b
            sl[2] = h1a; sl[3] = h1b
            sl[4] = h1a; sl[5] = h1b; sl[6] = h2a; sl[7] = h2b
            sr[0] = g0a; sr[1] = g0b
            sr[2] = g1a; sr[3] = g1b
            sr[4] = g1a; sr[5] = g1b; sr[6] = g2a; sr[7] = g2b
        }
    }
}

/// The per-sample loops of a direct form I biquad over Float samples, with Double state.
///
/// Direct form I keeps the past inputs and outputs, so the only recursion is y[n−1] → y[n] (one multiply and one
/// subtraction) and it behaves well when coefficients later change per sample.
///
/// When two consecutive outputs are both below 1e-30 (−600 dB) the output history is cleared: a decaying ring then
/// ends in exact silence instead of running on into subnormal numbers, where arithmetic is a hundred times slower.
/// (Zeroing single small outputs instead would inject a tiny error at every zero crossing of a resonance, which a
/// high-Q section sustains as a limit cycle near 1e-28.)
public enum BiquadKernel {
    @inlinable @inline(__always)
    public static func isSilent(_ y: Double, _ y1: Double) -> Bool { abs(y) < 1e-30 && abs(y1) < 1e-30 }

    /// A one-pole's equivalent: a single state below 1e-30 becomes zero (a one-pole cannot ring around zero).
    @inlinable @inline(__always)
    public static func flush(_ value: Double) -> Double { abs(value) < 1e-30 ? 0 : value }

    /// One channel. `s` holds x[n−1], x[n−2], y[n−1], y[n−2].
    @inlinable
    public static func run(_ c: Biquad, _ s: UnsafeMutablePointer<Double>, _ x: UnsafeMutablePointer<Float>,
                           count: Int) {
        let b0 = c.b0, b1 = c.b1, b2 = c.b2, a1 = c.a1, a2 = c.a2
        var x1 = s[0], x2 = s[1], y1 = s[2], y2 = s[3]
        for i in 0..<count {
            let input = Double(x[i])
            var y = b0 * input + b1 * x1 + b2 * x2 - a2 * y2 - a1 * y1
            if isSilent(y, y1) { y = 0; y1 = 0 }
            x2 = x1; x1 = input
            y2 = y1; y1 = y
            x[i] = Float(y)
        }
        s[0] = x1; s[1] = x2; s[2] = y1; s[3] = y2
    }

    /// Two channels with the same coefficients, in one loop (their recursions overlap in the CPU).
    @inlinable
    public static func run(_ c: Biquad, _ sl: UnsafeMutablePointer<Double>, _ l: UnsafeMutablePointer<Float>,
                           _ sr: UnsafeMutablePointer<Double>, _ r: UnsafeMutablePointer<Float>, count: Int) {
        let b0 = c.b0, b1 = c.b1, b2 = c.b2, a1 = c.a1, a2 = c.a2
        var lx1 = sl[0], lx2 = sl[1], ly1 = sl[2], ly2 = sl[3]
        var rx1 = sr[0], rx2 = sr[1], ry1 = sr[2], ry2 = sr[3]
        for i in 0..<count {
            let xl = Double(l[i]), xr = Double(r[i])
            var yl = b0 * xl + b1 * lx1 + b2 * lx2 - a2 * ly2 - a1 * ly1
            var yr = b0 * xr + b1 * rx1 + b2 * rx2 - a2 * ry2 - a1 * ry1
            if isSilent(yl, ly1) { yl = 0; ly1 = 0 }
            if isSilent(yr, ry1) { yr = 0; ry1 = 0 }
            lx2 = lx1; lx1 = xl; ly2 = ly1; ly1 = yl
            rx2 = rx1; rx1 = xr; ry2 = ry1; ry1 = yr
            l[i] = Float(yl)
            r[i] = Float(yr)
        }
        sl[0] = lx1; sl[1] = lx2; sl[2] = ly1; sl[3] = ly2
        sr[0] = rx1; sr[1] = rx2; sr[2] = ry1; sr[3] = ry2
    }
}

/// One direct form I section's state, for loops that chain sections per sample (held in a local variable inside
/// the loop, loaded from and stored to a `FilterState` once per block).
public struct BiquadStep {
    public var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0

    @inlinable
    public init(_ s: UnsafeMutablePointer<Double>) { x1 = s[0]; x2 = s[1]; y1 = s[2]; y2 = s[3] }

    @inlinable
    public func store(_ s: UnsafeMutablePointer<Double>) { s[0] = x1; s[1] = x2; s[2] = y1; s[3] = y2 }

    @inlinable @inline(__always)
    public mutating func callAsFunction(_ c: Biquad, _ x: Double) -> Double {
        var y = c.b0 * x + c.b1 * x1 + c.b2 * x2 - c.a2 * y2 - c.a1 * y1
        if BiquadKernel.isSilent(y, y1) { y = 0; y1 = 0 }
        x2 = x1; x1 = x
        y2 = y1; y1 = y
        return y
    }
}
