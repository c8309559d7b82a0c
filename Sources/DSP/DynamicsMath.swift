import Foundation

/// Shared arithmetic of the dynamics processors (compressor, gate, limiter, de-esser): time constants and fast
/// base-2 logarithm / exponential for per-sample level ↔ dB conversion.
///
/// The fast functions replace `log10`/`pow` per sample (a stereo compressor built on those ran 543× realtime,
/// mostly inside libm). Accuracy, measured over their whole domain (see `DynamicsMathTests`):
/// `fastLog2` within 1e-5 (6e-5 dB), `fastExp2` within 3e-7 relative (2.6e-6 dB), Float rounding included:
/// far inside the 0.1 dB the static curves are tested to. `fastLog2(1) == 0` and `fastExp2(0) == 1` exactly, so
/// unity gain stays bit-exact.
public enum DynamicsMath {
    /// 20·log10(2): dB per octave of level. dB = `decibelsPerLog2` · log2(level).
    public static let decibelsPerLog2 = 6.020599913279624

    /// One-pole smoothing coefficient α = exp(−1/(τ·fs)): a step is covered to 1 − 1/e after `seconds`.
    /// A time of zero gives α = 0 (the output follows instantly).
    @inlinable
    public static func coefficient(seconds: Double, sampleRate: Double) -> Double {
        seconds > 0 ? exp(-1 / (seconds * sampleRate)) : 0
    }

    /// log2(x) for finite x > 0 (normal or not: subnormals read as below −126). Absolute error ≤ 1e-5.
    ///
    /// x = 2^e · (1 + u), u ∈ [0, 1); log2(1 + u) ≈ u · q(u) with a degree-5 least-squares fit on Chebyshev nodes.
    @inlinable
    public static func fastLog2(_ x: Float) -> Float {
        let bits = x.bitPattern
        let exponent = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 127)
        let u = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000) - 1
        var q: Float = -0.03459560698669113
        q = q * u + 0.146435259184647
        q = q * u - 0.303391868065595
        q = q * u + 0.46930289326626434
        q = q * u - 0.720442629250419
        q = q * u + 1.4426832670619647
        return exponent + u * q
    }

    /// 2^y for y in about −126…+127 (clamped there). Relative error ≤ 3e-7.
    ///
    /// y = i + f, f ∈ [0, 1); 2^f ≈ 1 + f · p(f) with a degree-4 fit; 2^i is written into the exponent bits.
    @inlinable
    public static func fastExp2(_ y: Float) -> Float {
        let clamped = min(max(y, -126), 127)
        // floor without libm (`rounded(.down)` is a library call on baseline x86-64) and without a trapping
        // Float → Int conversion (its range check is a branch, which kept loops over this from vectorising):
        // adding 1.5·2²³ rounds to the nearest integer, held in the low mantissa bits; one step down makes it
        // the floor. The same values as `Int32(clamped)` corrected downwards, bit for bit.
        let shifted = clamped + 12_582_912
        let nearest = shifted - 12_582_912
        let down = nearest > clamped
        let whole = (Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000) &- (down ? 1 : 0)
        let f = clamped - (down ? nearest - 1 : nearest)
        var p: Float = 0.0017896657217058626
        p = p * f + 0.009196807185644326
        p = p * f + 0.05565865536913234
        p = p * f + 0.24020687789437647
        p = p * f + 0.6931475770765996
        let mantissa = 1 + f * p
        let scale = Float(bitPattern: UInt32(bitPattern: whole &+ 127) << 23)
        return mantissa * scale
    }

    /// Level in dB of a linear magnitude (> 0), via `fastLog2`.
    @inlinable
    public static func fastDecibels(_ magnitude: Float) -> Double {
        Double(fastLog2(magnitude)) * decibelsPerLog2
    }

    /// Linear gain of a dB value, via `fastExp2`.
    @inlinable
    public static func fastGain(decibels: Double) -> Float {
        fastExp2(Float(decibels / decibelsPerLog2))
    }
}
