/// Every processor a recipe can name. Adding a processor: a schema file in `Schemas/`, an entry here, a DSP
/// processor, and its mapping in `RenderGraph/InsertCompiler.swift`.
public enum ProcessorCatalog {
    public static let all: [ProcessorSchema] = [
        .gain, .polarity, .trim,
        .eq, .highpass, .lowpass, .width, .monoBelow, .saturate,
        .delay, .reverb,
        .compressor, .gate, .limiter, .deesser,
    ]

    public static func schema(named name: String) -> ProcessorSchema? {
        all.first { $0.name == name }
    }

    /// Cross-parameter checks for one `eq` band; nil when the band is fine.
    static func checkBand(_ band: [String: ParameterValue]) -> String? {
        EQBandRules.problem(band)
    }
}
