/// Float → integer PCM conversion for the writers.
enum Quantiser {
    /// 1.5 · 2^52: adding it to a Double of magnitude below 2^51 rounds to an integer (to nearest, ties to even, the
    /// default rounding mode) and leaves that integer, two's complement, in the low bits of the bit pattern.
    static let roundingMagic = 6_755_399_441_055_744.0

    /// Scales by 2^(bits−1), rounds to nearest (ties to even), clips to [−2^(bits−1), 2^(bits−1) − 1], and
    /// left-justifies into Int32 (libsndfile's int interface). Returns how many samples were clipped.
    /// NaN becomes 0. The loop has no branches and no trapping conversion (the rounding is the magic-number
    /// addition, not `rounded()` and `Int32(_:)`), so it vectorises even on baseline x86-64.
    static func quantise(_ source: UnsafePointer<Float>, count: Int, bits: Int,
                         into destination: UnsafeMutablePointer<Int32>) -> Int {
        let scale = Float(1 << (bits - 1))
        let high = scale - 1, low = -scale
        let shift = Int32(32 - bits)
        let magic = roundingMagic
        var clipped = 0
        for i in 0..<count {
            let scaled = source[i] * scale
            clipped &+= (scaled > high ? 1 : 0) | (scaled < low ? 1 : 0)
            // `max(low, min(high, x))` maps NaN to `low` on some paths; select 0 for NaN explicitly.
            let limited = scaled.isNaN ? 0 : Swift.max(low, Swift.min(high, scaled))
            let rounded = Double(limited) + magic
            destination[i] = Int32(truncatingIfNeeded: rounded.bitPattern) &<< shift
        }
        return clipped
    }
}
