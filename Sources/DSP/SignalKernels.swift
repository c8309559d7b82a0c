/// The per-block loops the engine is built from. They work on raw pointers so the optimiser vectorises them,
/// and they are `@inlinable` so calls from other modules are specialised rather than called through.
public enum SignalKernels {
    /// `destination[i] = 0`
    @inlinable
    public static func clear(_ destination: UnsafeMutablePointer<Float>, count: Int) {
        destination.update(repeating: 0, count: count)
    }

    /// `destination[i] = source[i] * gain`
    @inlinable
    public static func scale(_ source: UnsafePointer<Float>, by gain: Float,
                             into destination: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { destination[i] = source[i] * gain }
    }

    /// `destination[i] += source[i] * gain`: one input of a sum. Sums call this in a fixed order.
    @inlinable
    public static func accumulate(_ source: UnsafePointer<Float>, gain: Float,
                                  into destination: UnsafeMutablePointer<Float>, count: Int) {
        if gain == 1 {
            for i in 0..<count { destination[i] += source[i] }
        } else {
            for i in 0..<count { destination[i] += source[i] * gain }
        }
    }

    /// Interleaves planar channels into `destination` (frame-major), the layout files use.
    @inlinable
    public static func interleave(_ channels: [UnsafeMutablePointer<Float>], count: Int,
                                  into destination: UnsafeMutablePointer<Float>) {
        let channelCount = channels.count
        for (c, channel) in channels.enumerated() {
            for i in 0..<count { destination[i * channelCount + c] = channel[i] }
        }
    }

    /// Splits frame-major samples into planar channels.
    @inlinable
    public static func deinterleave(_ source: UnsafePointer<Float>, channelCount: Int, count: Int,
                                    into channels: [UnsafeMutablePointer<Float>]) {
        for (c, channel) in channels.enumerated() {
            for i in 0..<count { channel[i] = source[i * channelCount + c] }
        }
    }

    /// Copies channel `channel` of frame-major samples into a planar buffer.
    @inlinable
    public static func extractChannel(_ channel: Int, from source: UnsafePointer<Float>, channelCount: Int,
                                      count: Int, into destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count { destination[i] = source[i * channelCount + channel] }
    }

    /// Writes a planar buffer into channel `channel` of frame-major samples.
    @inlinable
    public static func insertChannel(_ channel: Int, from source: UnsafePointer<Float>, channelCount: Int,
                                     count: Int, into destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count { destination[i * channelCount + channel] = source[i] }
    }

    /// Counts samples that are NaN or ±∞ (a processor blew up) and replaces them with silence.
    /// The common case (all finite) is one branch-free pass over the exponent bits, which vectorises.
    @inlinable
    public static func sanitise(_ samples: UnsafeMutablePointer<Float>, count: Int) -> Int {
        var found: UInt32 = 0
        samples.withMemoryRebound(to: UInt32.self, capacity: count) { bits in
            for i in 0..<count { found |= ((bits[i] & 0x7F80_0000) &+ 0x0080_0000) & 0x8000_0000 }
        }
        guard found != 0 else { return 0 }
        var bad = 0
        for i in 0..<count where !samples[i].isFinite {
            samples[i] = 0
            bad += 1
        }
        return bad
    }
}
