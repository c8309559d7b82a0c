import DSP
import Recipe

/// Compile mappings for `eq`, `highpass`, `lowpass`, `width`, `mono_below` and `saturate`.
extension InsertCompiler {
    static func eq(_ insert: Insert) -> ProcessorConfiguration {
        .eq(bands: insert.bands.map(band))
    }

    /// `highpass` / `lowpass` shorthands: an EQ with one band of that type.
    static func pass(_ insert: Insert, _ kind: EQBand.Kind) -> ProcessorConfiguration {
        var values = insert.parameters
        values["type"] = .text(kind.rawValue)
        return .eq(bands: [band(values)])
    }

    static func band(_ values: [String: ParameterValue]) -> EQBand {
        func number(_ key: String) -> Double? {
            if case .number(let value)? = values[key] { return value }
            return nil
        }
        var kind = EQBand.Kind.peak
        if case .text(let type)? = values["type"], let parsed = EQBand.Kind(rawValue: type) { kind = parsed }
        return EQBand(kind, frequency: number("freq") ?? 1000, gain: number("gain") ?? 0, q: number("q"),
                      slope: number("slope"))
    }

    static func saturate(_ insert: Insert) -> ProcessorConfiguration {
        .saturate(SaturateParameters(drive: insert.number("drive"), mix: insert.number("mix"),
                                     type: SaturateParameters.Curve(rawValue: insert.text("type")) ?? .tape))
    }
}
