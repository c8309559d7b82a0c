/// The compressor's static curve: the soft-knee gain computer of Giannoulis, Massberg & Reiss, "Digital Dynamic
/// Range Compressor Design — A Tutorial and Analysis" (JAES 60(6), 2012), eq. 4, in dB.
///
/// For an input level x (dB), threshold T, ratio R and knee width W, the output level is
/// x                                   where 2(x − T) < −W,
/// x + (1/R − 1)(x − T + W/2)² / (2W)  where 2|x − T| ≤ W,
/// T + (x − T)/R                       where 2(x − T) > W.
/// `reduction` returns x minus that (≥ 0 dB), computed directly so that ratio 1 gives exactly 0.
public struct CompressorCurve: Sendable, Equatable {
    public let threshold: Double
    public let ratio: Double
    public let knee: Double
    /// 1 − 1/R and (1 − 1/R)/(2W), precomputed: `reduction` runs per sample.
    @usableFromInline let slope: Double
    @usableFromInline let kneeFactor: Double

    public init(threshold: Double, ratio: Double, knee: Double) {
        self.threshold = threshold
        self.ratio = ratio
        self.knee = max(0, knee)
        slope = 1 - 1 / ratio
        kneeFactor = self.knee > 0 ? slope / (2 * self.knee) : 0
    }

    /// Where the curve leaves the identity: T − W/2 (dB). Levels at or below it are never reduced.
    public var kneeStart: Double { threshold - knee / 2 }

    /// Gain reduction in dB (≥ 0) for a detector level in dB.
    @inlinable
    public func reduction(_ level: Double) -> Double {
        let over = level - threshold
        if 2 * over <= -knee { return 0 }
        if 2 * over >= knee { return slope * over }
        let inKnee = over + knee / 2
        return kneeFactor * inKnee * inKnee
    }

    /// The `auto` make-up gain (dB): half the reduction the curve applies to a steady 0 dBFS level. A 0 dBFS
    /// level then comes out at −reduction(0)/2 dBFS; full compensation would instead lift everything below the
    /// threshold by as much as the loudest material is reduced.
    public var autoMakeup: Double { reduction(0) / 2 }
}
