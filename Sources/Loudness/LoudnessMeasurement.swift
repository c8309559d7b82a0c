/// The loudness facts of one programme (a file, a render), per ITU-R BS.1770-4 and EBU Tech 3341/3342.
///
/// Levels that can be −∞ (silence, everything gated out) are encoded as `null` by `Codable` and decoded back to
/// −∞, so a measurement survives any JSON encoder.
public struct LoudnessMeasurement: Sendable, Equatable, Codable {
    /// Gated integrated loudness (BS.1770-4: 400 ms blocks every 100 ms, −70 LUFS absolute and −10 LU relative
    /// gates), LUFS. −∞ when everything is gated out or silent.
    public var integratedLUFS: Double
    /// Loudness range (EBU Tech 3342), LU: L95 − L10 of the 3 s short-term loudness sampled every 100 ms, after a
    /// −70 LUFS absolute and −20 LU relative gate. 0 for programmes shorter than 3 s or silent ones.
    public var loudnessRangeLU: Double
    /// BS.1770-4 true peak (libebur128 `EBUR128_MODE_TRUE_PEAK`: ×4 oversampling below 96 kHz, ×2 below 192 kHz,
    /// never below the sample peak), dBTP, maximum over channels. Equal to `samplePeakDBFS` when the meter was
    /// made with `truePeak: false`.
    public var truePeakDBTP: Double
    /// Largest absolute sample value over all channels, dBFS.
    public var samplePeakDBFS: Double
    /// Maximum of the 400 ms momentary loudness, LUFS, evaluated every 10 ms of the stream (see `LoudnessMeter`).
    public var momentaryMaxLUFS: Double
    /// Maximum of the 3 s short-term loudness, LUFS, evaluated every 100 ms of the stream.
    public var shortTermMaxLUFS: Double

    public init(integratedLUFS: Double, loudnessRangeLU: Double, truePeakDBTP: Double, samplePeakDBFS: Double,
                momentaryMaxLUFS: Double, shortTermMaxLUFS: Double) {
        self.integratedLUFS = integratedLUFS
        self.loudnessRangeLU = loudnessRangeLU
        self.truePeakDBTP = truePeakDBTP
        self.samplePeakDBFS = samplePeakDBFS
        self.momentaryMaxLUFS = momentaryMaxLUFS
        self.shortTermMaxLUFS = shortTermMaxLUFS
    }

    enum CodingKeys: String, CodingKey {
        case integratedLUFS, loudnessRangeLU, truePeakDBTP, samplePeakDBFS, momentaryMaxLUFS, shortTermMaxLUFS
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func level(_ key: CodingKeys) throws -> Double { try container.decodeIfPresent(Double.self, forKey: key) ?? -.infinity }
        integratedLUFS = try level(.integratedLUFS)
        loudnessRangeLU = try container.decode(Double.self, forKey: .loudnessRangeLU)
        truePeakDBTP = try level(.truePeakDBTP)
        samplePeakDBFS = try level(.samplePeakDBFS)
        momentaryMaxLUFS = try level(.momentaryMaxLUFS)
        shortTermMaxLUFS = try level(.shortTermMaxLUFS)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        func level(_ value: Double, _ key: CodingKeys) throws {
            if value.isFinite { try container.encode(value, forKey: key) } else { try container.encodeNil(forKey: key) }
        }
        try level(integratedLUFS, .integratedLUFS)
        try container.encode(loudnessRangeLU, forKey: .loudnessRangeLU)
        try level(truePeakDBTP, .truePeakDBTP)
        try level(samplePeakDBFS, .samplePeakDBFS)
        try level(momentaryMaxLUFS, .momentaryMaxLUFS)
        try level(shortTermMaxLUFS, .shortTermMaxLUFS)
    }
}
