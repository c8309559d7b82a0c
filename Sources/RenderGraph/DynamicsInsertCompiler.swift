import DSP
import Recipe

/// Dynamics inserts (compressor, gate, limiter, de-esser): canonical recipe units → DSP parameters.
extension InsertCompiler {
    static func compressor(_ insert: Insert) -> ProcessorConfiguration {
        let makeup: CompressorParameters.Makeup
        if case .text("auto")? = insert.parameters["makeup"] {
            makeup = .auto
        } else {
            makeup = .decibels(insert.number("makeup"))
        }
        let highpass = insert.number("sidechain_highpass")
        return .compressor(CompressorParameters(
            threshold: insert.number("threshold"), ratio: insert.number("ratio"), knee: insert.number("knee"),
            attack: insert.number("attack"), release: insert.number("release"), makeup: makeup,
            detector: CompressorParameters.Detector(rawValue: insert.text("detector")) ?? .peak,
            lookahead: insert.number("lookahead"), mix: insert.number("mix"),
            sidechainHighpass: highpass > 0 ? highpass : nil))
    }

    static func gate(_ insert: Insert) -> ProcessorConfiguration {
        .gate(GateParameters(threshold: insert.number("threshold"), range: insert.number("range"),
                             attack: insert.number("attack"), hold: insert.number("hold"),
                             release: insert.number("release")))
    }

    static func limiter(_ insert: Insert) -> ProcessorConfiguration {
        .limiter(LimiterParameters(ceiling: insert.number("ceiling"), release: insert.number("release"),
                                   lookahead: insert.number("lookahead")))
    }

    static func deesser(_ insert: Insert) -> ProcessorConfiguration {
        .deesser(DeesserParameters(freq: insert.number("freq"), threshold: insert.number("threshold"),
                                   range: insert.number("range")))
    }
}
