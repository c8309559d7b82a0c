/// Float → integer PCM conversion for the writers.
enum Quantiser {
    /// Scales by 2^(bits−1), rounds to nearest (ties to even), clips to [−2^(bits−1), 2^(bits−1) − 1], and
    /// left-justifies into Int32 (libsndfile's int interface). Returns how many samples were clipped.
    /// NaN becomes 0. The loop is branch-free (min/max) so it vectorises.
    static func quantise(_ source: UnsafePointer<Float>, count: Int, bits: Int,
                         into destination: UnsafeMutablePointer<Int32>) -> Int {
        let scale = Float(1 << (bits - 1))
        let high = scale - 1, low = -scale
        let shift = Int32(32 - bits)
        var clipped = 0
        for i in 0..<count {
            let scaled = source[i] * scale
            clipped &+= (scaled > high || scaled < low) ? 1 : 0
            // `max(low, min(high, x))` maps NaN to `low` on some paths; select 0 for NaN explicitly.
            let limited = scaled.isNaN ? 0 : Swift.max(low, Swift.min(high, scaled))
            destination[i] = Int32(limited.rounded(.toNearestOrEven)) &<< shift
        }
        return clipped
    }
}
