/// Float → integer PCM conversion for the writers.
enum Quantiser {
    /// Scales by 2^(bits−1), rounds to nearest (ties to even), clips to [−2^(bits−1), 2^(bits−1) − 1], and
    /// left-justifies into Int32 (libsndfile's int interface). Returns how many samples were clipped.
    static func quantise(_ source: UnsafePointer<Float>, count: Int, bits: Int,
                         into destination: UnsafeMutablePointer<Int32>) -> Int {
        let scale = Float(1 << (bits - 1))
        let high = scale - 1, low = -scale
        let shift = Int32(32 - bits)
        var clipped = 0
        for i in 0..<count {
            var value = (source[i] * scale).rounded(.toNearestOrEven)
            if value > high { value = high; clipped += 1 }
            else if value < low { value = low; clipped += 1 }
            else if value.isNaN { value = 0 }
            destination[i] = Int32(value) << shift
        }
        return clipped
    }
}
