/// A cascade of biquad sections run over every channel, in direct form I with Double coefficients and Double
/// state. A reference type so the state is allocated once (in `prepare`) and never copied.
///
/// Each section is one pass over the block with its coefficients and state held in local variables; a stereo
/// block runs both channels in the same loop so that their two recursions overlap in the CPU.
public final class BiquadCascade: @unchecked Sendable {
    public private(set) var sections: [Biquad]
    public let channels: Int
    /// x[n−1], x[n−2], y[n−1], y[n−2] per section per channel: `state[4 * (section * channels + channel)]`.
    private let state: UnsafeMutablePointer<Double>
    private let stateCount: Int

    public init(sections: [Biquad], channels: Int) {
        self.sections = sections
        self.channels = channels
        stateCount = max(1, 4 * sections.count * channels)
        state = UnsafeMutablePointer<Double>.allocate(capacity: stateCount)
        state.initialize(repeating: 0, count: stateCount)
    }

    deinit { state.deallocate() }

    /// Filters `frames` frames of `io` in place (the first `channels` channels).
    public func process(_ io: AudioBuffer, frames: Int) {
        let count = min(channels, io.channelCount)
        for (index, section) in sections.enumerated() {
            let base = state + 4 * index * channels
            if count == 2 {
                BiquadKernel.run(section, base, io[0], base + 4, io[1], count: frames)
            } else {
                for c in 0..<count { BiquadKernel.run(section, base + 4 * c, io[c], count: frames) }
            }
        }
    }

    public func reset() { state.update(repeating: 0, count: stateCount) }

    /// Replaces one section's coefficients, keeping the filter state (automation; no allocation: the array is
    /// uniquely owned and updated in place).
    public func setSection(_ index: Int, _ biquad: Biquad) { sections[index] = biquad }
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
