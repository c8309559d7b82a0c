import Foundation

/// One entry of a track's, bus's or master's `inserts:` list, validated against its processor's schema.
///
/// Parameter values are stored in canonical units (dB, Hz, seconds, plain ratios, fractions 0…1, samples), so
/// later stages never parse text. Parameters the user left out are filled with the schema's defaults.
public struct Insert: Sendable {
    /// The processor name as written (`compressor`, `eq`, …).
    public var processor: Located<String>
    public var id: String?
    public var bypass: Bool
    /// Parameters by key, in canonical units, defaults filled in.
    public var parameters: [String: ParameterValue]
    /// Where each parameter the user wrote sits (for later diagnostics).
    public var locations: [String: SourceLocation]
    /// For `eq`: the bands, each validated against the band schema.
    public var bands: [[String: ParameterValue]]
    /// The track or bus whose signal keys this processor, if any.
    public var sidechain: Located<String>?

    public func number(_ key: String) -> Double {
        if case .number(let value)? = parameters[key] { return value }
        preconditionFailure("insert \(processor.value) has no numeric parameter \(key)")
    }

    public func text(_ key: String) -> String {
        if case .text(let value)? = parameters[key] { return value }
        preconditionFailure("insert \(processor.value) has no text parameter \(key)")
    }

    public func flag(_ key: String) -> Bool {
        if case .flag(let value)? = parameters[key] { return value }
        preconditionFailure("insert \(processor.value) has no flag parameter \(key)")
    }
}

/// A parameter value in canonical units.
public enum ParameterValue: Sendable, Equatable {
    case number(Double)
    case text(String)
    case flag(Bool)
}
