/// Word-length reduction with dither, deterministic: the noise comes from a generator seeded by the caller
/// (Bounce derives the seed from the deliverable's name), so a re-render gives the same bits.
///
/// - `tpdf`: triangular dither of ±1 LSB (the sum of two independent uniform values, variance 1/6 LSB²), then
///   rounding: the error is signal-independent white noise of 1/4 LSB² (−101.2 dBFS RMS at 16 bits).
/// - `shaped`: the same TPDF inside an error-feedback loop with Lipshitz's 5-tap filter (designed for 44.1 kHz;
///   used as is at other rates), which moves the noise away from the ear's most sensitive band (−16.6 dB at
///   DC, about −27 dB near 4 kHz, more at the top).
/// Output values lie exactly on the target grid (k / 2^(bits−1)), clipped to its range.
public struct Ditherer: Sendable {
    public enum Mode: String, Sendable { case tpdf, shaped }

    static let lipshitz: [Double] = [2.033, -2.165, 1.959, -1.590, 0.6149]

    public let mode: Mode
    public let bits: Int
    private var state: UInt64
    private var errors: [[Double]]

    public init(mode: Mode, bits: Int, channels: Int, seed: UInt64) {
        self.mode = mode
        self.bits = bits
        // Any seed is a valid state (the LCG's increment is odd: full period); `seed | 1` would merge seeds 2k, 2k+1.
        state = seed
        errors = [[Double]](repeating: [Double](repeating: 0, count: Self.lipshitz.count), count: channels)
    }

    /// A uniform value in [0, 1) from a 64-bit LCG (Knuth's MMIX constants); high bits only.
    private mutating func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) * (1.0 / 9007199254740992.0)
    }

    /// Dithers and rounds planar channels in place. Channels are interleaved in time for the noise generator
    /// (frame by frame), so the result does not depend on how a caller splits the signal into blocks.
    public mutating func apply(_ channels: inout [[Float]]) {
        let scale = Double(1 << (bits - 1))
        let high = scale - 1, low = -scale
        let frames = channels.first?.count ?? 0
        for i in 0..<frames {
            for c in channels.indices {
                let x = Double(channels[c][i]) * scale
                let noise = uniform() - uniform()
                var y: Double
                switch mode {
                case .tpdf:
                    y = (x + noise).rounded()
                case .shaped:
                    var feedback = 0.0
                    for (j, coefficient) in Self.lipshitz.enumerated() { feedback += coefficient * errors[c][j] }
                    let wanted = x - feedback
                    y = (wanted + noise).rounded()
                    y = min(high, max(low, y))
                    // Shift the error history; the clipped value keeps the loop stable on overloads.
                    for j in stride(from: errors[c].count - 1, to: 0, by: -1) { errors[c][j] = errors[c][j - 1] }
                    errors[c][0] = max(-2, min(2, y - wanted))
                }
                channels[c][i] = Float(min(high, max(low, y)) / scale)
            }
        }
    }
}

/// A stable 64-bit seed from text (FNV-1a), independent of Swift's per-process hash seed.
public func stableSeed(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf29ce484222325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x100000001b3
    }
    return hash
}
