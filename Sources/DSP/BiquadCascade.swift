/// A cascade of biquad sections run over every channel, in direct form I with Double coefficients and Double
/// state. A reference type so the state is allocated once (in `prepare`) and never copied.
///
/// The sections run in groups of up to four per pass over the block: each sample goes through every section of
/// the group before the next sample, in Double, so the group's recursions (one per section and channel) overlap
/// in the CPU instead of each pass waiting on one y[n−1] → y[n] chain. Within a group a section's past inputs
/// are the previous section's past outputs, so they are kept once. The two channels of a stereo block are the
/// two lanes of a `SIMD2<Double>`; a mono channel runs the same loop with itself in both lanes, so it gives the
/// same bits as the same signal in a stereo block. Samples are rounded to Float only between groups and at the
/// end.
public final class BiquadCascade: @unchecked Sendable {
    public private(set) var sections: [Biquad]
    public let channels: Int
    typealias V = SIMD2<Double>
    /// Per group of sections (and per channel for mono; one for both channels of a stereo block): the group's
    /// input history x[n−1], x[n−2], then each section's y[n−1], y[n−2], both lanes in each.
    private let state: UnsafeMutablePointer<V>
    private let stateCount: Int
    /// Per section b1, b2, a2, a1, b0 as splats, at every other index (`stride` per section).
    private let coefficients: UnsafeMutablePointer<V>
    /// Sections per pass over the block.
    static let group = 4
    static let stride = BiquadGroupKernel.stride

    public init(sections: [Biquad], channels: Int) {
        self.sections = sections
        self.channels = channels
        let groups = (sections.count + Self.group - 1) / Self.group
        stateCount = max(1, (2 * sections.count + 2 * groups) * max(1, channels))
        state = .allocate(capacity: stateCount)
        state.initialize(repeating: .zero, count: stateCount)
        let count = max(1, Self.stride * sections.count)
        coefficients = .allocate(capacity: count)
        coefficients.initialize(repeating: .zero, count: count)
        for (k, c) in sections.enumerated() {
            for (j, value) in [c.b1, c.b2, c.a2, c.a1, c.b0].enumerated() {
                coefficients[Self.stride * k + 2 * j] = V(repeating: value)
            }
        }
    }

    deinit {
        state.deallocate()
        coefficients.deallocate()
    }

    /// Filters `frames` frames of `io` in place (the first `channels` channels).
    public func process(_ io: AudioBuffer, frames: Int) {
        let count = min(channels, io.channelCount)
        let lanes = count == 2 ? 1 : count
        for lane in 0..<lanes {
            let l = io[count == 2 ? 0 : lane], r = io[count == 2 ? 1 : lane]
            var first = 0, s = state + lane * (stateCount / max(1, channels))
            while first < sections.count {
                let n = min(Self.group, sections.count - first)
                BiquadGroupKernel.run(n, coefficients + Self.stride * first, s, l, r, count: frames)
                s += 2 * n + 2
                first += n
            }
        }
    }

    public func reset() { state.update(repeating: .zero, count: stateCount) }

    /// Replaces one section's coefficients, keeping the filter state (automation; no allocation: the array is
    /// uniquely owned and updated in place, and the kernel's splatted coefficients are rewritten).
    public func setSection(_ index: Int, _ biquad: Biquad) {
        sections[index] = biquad
        let at = coefficients + Self.stride * index  // the init's order: b1, b2, a2, a1, b0, every other slot
        at[0] = V(repeating: biquad.b1)
        at[2] = V(repeating: biquad.b2)
        at[4] = V(repeating: biquad.a2)
        at[6] = V(repeating: biquad.a1)
        at[8] = V(repeating: biquad.b0)
    }
}

/// The loop of `BiquadCascade`: up to four direct form I sections per sample, on two lanes.
///
/// Per section y = b1·u[n−1] + b2·u[n−2] − a2·y[n−2] + b0·u − a1·y[n−1], with u the previous section's output
/// (or the input): the recursion y[n−1] → y[n] is one multiply and one subtraction.
/// The silence rule of `BiquadKernel` (two consecutive outputs below 1e-30 clear the section's output history)
/// is checked once per sample for the whole group: only when some output is below 1e-30 does the fast loop
/// stop, and that sample is recomputed section by section with the rule applied, out of line. The next section
/// then sees the cleared value as its past input as well (a difference below 1e-30 from running the sections
/// one pass each).
///
/// How this is written matters to the optimiser (Swift lowers `SIMD2` arithmetic lane by lane and LLVM puts the
/// vectors back together): with the state in local `SIMD2` variables, or with the out-of-line call inside the
/// loop, it re-paired lanes of different vectors (shuffles on every product) and ran no faster than scalar
/// code; with the state addressed through a pointer and the exact step outside the fast loop, every operation
/// is one packed instruction.
enum BiquadGroupKernel {
    typealias V = SIMD2<Double>
    static let stride = 10

    /// One section: `c` its coefficients, `u` its input, `p` the input history (u[n−1], u[n−2]), `s` its own.
    @inline(__always)
    static func step(_ c: UnsafePointer<V>, _ u: V, _ p: UnsafePointer<V>, _ s: UnsafePointer<V>) -> V {
        c[0] * p[0] + c[2] * p[1] - c[4] * s[1] + c[8] * u - c[6] * s[0]
    }

    @inline(__always)
    static func isSmall(_ y: V) -> SIMDMask<SIMD2<Int64>> {
        let magnitude = unsafeBitCast(unsafeBitCast(y, to: SIMD2<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF, to: V.self)
        return magnitude .< V(repeating: 1e-30)
    }

    /// One sample through `n` sections with the silence rule applied per section and lane, state updated
    /// (the cleared y[n−1]s included); returns the last section's output.
    @inline(never)
    static func exact(_ n: Int, _ c: UnsafePointer<V>, _ x: V, _ s: UnsafeMutablePointer<V>) -> V {
        var u = x
        for k in 0..<n {
            var out = step(c + stride * k, u, s + 2 * k, s + 2 * k + 2)
            var previous = s[2 * k + 2]
            let silent = isSmall(out) .& isSmall(previous)
            out.replace(with: 0, where: silent)
            previous.replace(with: 0, where: silent)
            s[2 * k + 3] = previous
            s[2 * k + 2] = out
            u = out
        }
        s[1] = s[0]
        s[0] = x
        return u
    }

    /// `n` (1…4) sections with coefficients `c` and state `s` over `l` and `r` (the same pointer for a mono
    /// channel). A block of +0 into a group whose state is all +0 is left as it is: the output would be +0
    /// throughout (every output goes through the silence rule, which writes +0) and the state would stay +0.
    static func run(_ n: Int, _ c: UnsafePointer<V>, _ s: UnsafeMutablePointer<V>,
                    _ l: UnsafeMutablePointer<Float>, _ r: UnsafeMutablePointer<Float>, count: Int) {
        var silent = true
        for j in 0..<(2 * n + 2) {
            let bits = unsafeBitCast(s[j], to: SIMD2<UInt64>.self)
            if bits[0] | bits[1] != 0 { silent = false }
        }
        if silent {
            var any: UInt32 = 0
            l.withMemoryRebound(to: UInt32.self, capacity: count) { bits in
                for i in 0..<count { any |= bits[i] }
            }
            r.withMemoryRebound(to: UInt32.self, capacity: count) { bits in
                for i in 0..<count { any |= bits[i] }
            }
            if any == 0 { return }
        }
        switch n {
        case 1:
            var i = 0
            while i < count {
                while i < count {
                    let x = V(Double(l[i]), Double(r[i]))
                    let y1 = step(c + 0, x, s + 0, s + 2)
                    if any(isSmall(y1)) { break }
                    s[1] = s[0]; s[0] = x; s[3] = s[2]; s[2] = y1
                    r[i] = Float(y1[1]); l[i] = Float(y1[0])
                    i += 1
                }
                if i < count {
                    let y = exact(1, c, V(Double(l[i]), Double(r[i])), s)
                    r[i] = Float(y[1]); l[i] = Float(y[0])
                    i += 1
                }
            }
        case 2:
            var i = 0
            while i < count {
                while i < count {
                    let x = V(Double(l[i]), Double(r[i]))
                    let y1 = step(c + 0, x, s + 0, s + 2)
                    let y2 = step(c + 10, y1, s + 2, s + 4)
                    if any(isSmall(y1) .| isSmall(y2)) { break }
                    s[1] = s[0]; s[0] = x; s[3] = s[2]; s[2] = y1; s[5] = s[4]; s[4] = y2
                    r[i] = Float(y2[1]); l[i] = Float(y2[0])
                    i += 1
                }
                if i < count {
                    let y = exact(2, c, V(Double(l[i]), Double(r[i])), s)
                    r[i] = Float(y[1]); l[i] = Float(y[0])
                    i += 1
                }
            }
        case 3:
            var i = 0
            while i < count {
                while i < count {
                    let x = V(Double(l[i]), Double(r[i]))
                    let y1 = step(c + 0, x, s + 0, s + 2)
                    let y2 = step(c + 10, y1, s + 2, s + 4)
                    let y3 = step(c + 20, y2, s + 4, s + 6)
                    if any(isSmall(y1) .| isSmall(y2) .| isSmall(y3)) { break }
                    s[1] = s[0]; s[0] = x; s[3] = s[2]; s[2] = y1; s[5] = s[4]; s[4] = y2; s[7] = s[6]; s[6] = y3
                    r[i] = Float(y3[1]); l[i] = Float(y3[0])
                    i += 1
                }
                if i < count {
                    let y = exact(3, c, V(Double(l[i]), Double(r[i])), s)
                    r[i] = Float(y[1]); l[i] = Float(y[0])
                    i += 1
                }
            }
        default:
            var i = 0
            while i < count {
                while i < count {
                    let x = V(Double(l[i]), Double(r[i]))
                    let y1 = step(c + 0, x, s + 0, s + 2)
                    let y2 = step(c + 10, y1, s + 2, s + 4)
                    let y3 = step(c + 20, y2, s + 4, s + 6)
                    let y4 = step(c + 30, y3, s + 6, s + 8)
                    if any(isSmall(y1) .| isSmall(y2) .| isSmall(y3) .| isSmall(y4)) { break }
                    s[1] = s[0]; s[0] = x; s[3] = s[2]; s[2] = y1; s[5] = s[4]; s[4] = y2; s[7] = s[6]; s[6] = y3; s[9] = s[8]; s[8] = y4
                    r[i] = Float(y4[1]); l[i] = Float(y4[0])
                    i += 1
                }
                if i < count {
                    let y = exact(4, c, V(Double(l[i]), Double(r[i])), s)
                    r[i] = Float(y[1]); l[i] = Float(y[0])
                    i += 1
                }
            }
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
