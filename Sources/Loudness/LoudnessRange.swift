/// EBU Tech 3342 loudness range from a series of short-term (3 s) energies.
///
/// Why not `ebur128_loudness_range`: libebur128 1.2.6 takes one 3 s block per second (2 s overlap), while Tech 3342
/// (2016) asks for at least 10 Hz sampling (≥ 2.9 s overlap). The meter already evaluates the short-term loudness
/// every 100 ms, so the range is computed here from those values, with libebur128's gates and percentile rule.
enum LoudnessRange {
    /// −70 LUFS as a weighted mean square.
    static let absoluteGate = LoudnessMath.energy(loudness: -70)
    /// −20 LU as an energy ratio.
    static let relativeGate = 0.01

    /// - Parameter energies: weighted mean squares of 3 s windows lying wholly inside the programme.
    /// - Returns: L95 − L10 in LU, or 0 when nothing passes the gates.
    static func compute(_ energies: [Double]) -> Double {
        var gated = energies.filter { $0 >= absoluteGate }
        guard !gated.isEmpty else { return 0 }
        let mean = gated.reduce(0, +) / Double(gated.count)
        let threshold = mean * relativeGate
        gated = gated.filter { $0 >= threshold }.sorted()
        guard !gated.isEmpty else { return 0 }
        // Nearest rank, rounding half up, as libebur128 does.
        func percentile(_ p: Double) -> Double { gated[Int(Double(gated.count - 1) * p + 0.5)] }
        return LoudnessMath.loudness(energy: percentile(0.95)) - LoudnessMath.loudness(energy: percentile(0.10))
    }
}
