/// tanh(x) as a rational function that the compiler can vectorise (the C library's `tanhf` is a call per sample
/// and was two thirds of `saturate`'s time).
///
/// tanh(x) ≈ x·P(x²)/Q(x²) with x clamped to ±7.9053 (where tanh is 1 to Float precision), P of degree 6 and Q of
/// degree 3 in x². The coefficients come from `scripts/fit_tanh.py` (Sanathanan–Koerner with Lawson weights,
/// absolute error, Chebyshev basis): error 1.4e-9 in Double, at most 3.5e-7 (−129 dB) evaluated in Float as below,
/// relative error 2e-7 for small x (the small-signal gain is exact to Float precision); |y| < 1.
public enum FastTanh {
    public static let limit: Float = 7.90531110763549805

    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let c = x < -limit ? -limit : (x > limit ? limit : x)
        let u = c * c
        var p: Float = -1.1656979892785487e-13
        p = p * u + 6.386997979671365e-11
        p = p * u - 2.2337330735958952e-08
        p = p * u + 1.164448929737265e-05
        p = p * u + 0.0031493826261035623
        p = p * u + 0.13124315952290294
        p = p * u + 0.9999999925013797
        var q: Float = 0.0002613102759896674
        q = q * u + 0.024674914991010002
        q = q * u + 0.46457645833708294
        q = q * u + 1
        return c * p / q
    }
}
