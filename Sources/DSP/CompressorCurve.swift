/// The compressor's static curve: the soft-knee gain computer of Giannoulis, Massberg & Reiss, "Digital Dynamic
/// Range Compressor Design — A Tutorial and Analysis" (JAES 60(6), 2012), eq. 4, in dB.
///
/// For an input level x (dB), threshold T, ratio R and knee width W, the output level is
/// x                                   where 2(x − T) < −W,
/// x + (1/R − 1)(x − T + W/2)² / (2W)  where 2|x − T| ≤ W,
/// T + (x − T)/R                       where 2(x − T) > W.
/// `reduction` returns x minus that (≥ 0 dB), computed directly so that ratio 1 gives exactly 0.
public struct CompressorCurve: Sendable, Equatable {
    public var threshold: Double
    public var ratio: Double
    public var knee: Double

    public init(threshold: Double, ratio: Double, knee: Double) {
        self.threshold = threshold
        self.ratio = ratio
        self.knee = max(0, knee)
    }

    /// Where the curve leaves the identity: T − W/2 (dB). Levels at or below it are never reduced.
    public var kneeStart: Double { threshold - knee / 2 }

    /// Gain reduction in dB (≥ 0) for a detector level in dB.
    @inlinable
    public func reduction(_ level: Double) -> Double {
        let over = level - threshold
        let slope = 1 - 1 / ratio
        if 2 * over <= -knee { return 0 }
        if 2 * over >= knee { return slope * over }
        let inKnee = over + knee / 2
        return slope * inKnee * inKnee / (2 * knee)
    }

    /// The `auto` make-up gain (dB): half the reduction the curve applies to a steady 0 dBFS level. A 0 dBFS
    /// level then comes out at −reduction(0)/2 dBFS; full compensation would instead lift everything below the
    /// threshold by as much as the loudest material is reduced.
    public var autoMakeup: Double { reduction(0) / 2 }
}
