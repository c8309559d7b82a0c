import Foundation

/// What one processor accepts: its parameters with kinds, ranges and defaults. Validation, defaults and the
/// reference documentation all come from these tables.
public struct ProcessorSchema: Sendable {
    public var name: String
    public var summary: String
    public var parameters: [ParameterSchema]
    /// `eq`-style processors take a list of bands instead of (or besides) parameters.
    public var bandParameters: [ParameterSchema]?
    /// Whether the processor takes a `sidechain:` key.
    public var acceptsSidechain: Bool
    /// A shorthand value (`highpass: 30 Hz`) fills this parameter.
    public var shorthandParameter: String?
    /// Rules across parameters (or beyond a kind's range), run once every written value has parsed.
    public var crossCheck: CrossCheck?

    /// Given the parameters as written (key → text) and the parsed values (defaults filled in), the problems.
    public typealias CrossCheck = @Sendable (_ written: [String: String], _ values: [String: ParameterValue])
        -> [ParameterProblem]

    public init(name: String, summary: String, parameters: [ParameterSchema], bandParameters: [ParameterSchema]? = nil,
                acceptsSidechain: Bool = false, shorthandParameter: String? = nil, crossCheck: CrossCheck? = nil) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.bandParameters = bandParameters
        self.acceptsSidechain = acceptsSidechain
        self.shorthandParameter = shorthandParameter
        self.crossCheck = crossCheck
    }
}

/// A cross-check's finding: reported at the written parameter's key (or its value).
public struct ParameterProblem: Sendable, Equatable {
    public var key: String
    public var message: String
    public var atValue: Bool

    public init(key: String, _ message: String, atValue: Bool = false) {
        self.key = key
        self.message = message
        self.atValue = atValue
    }
}

public struct ParameterSchema: Sendable {
    public var key: String
    public var kind: ParameterKind
    /// nil: required (unless `isOptional`).
    public var defaultValue: ParameterValue?
    public var summary: String
    /// May be left out: then absent from the parsed values (the processor picks its own default).
    public var isOptional = false

    public init(_ key: String, _ kind: ParameterKind, default defaultValue: ParameterValue?, _ summary: String) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// A parameter without a fixed default that may be left out (e.g. an EQ band's `q`, whose default depends
    /// on the band type).
    public static func optional(_ key: String, _ kind: ParameterKind, _ summary: String) -> ParameterSchema {
        var schema = ParameterSchema(key, kind, default: nil, summary)
        schema.isOptional = true
        return schema
    }
}

/// How a parameter is written and what range it allows. Canonical units in brackets.
public enum ParameterKind: Sendable {
    /// `-3 dB` [dB]
    case level(ClosedRange<Double>)
    /// `-1 dBTP` (or `-1 dB`, or a bare number) [dB true peak]
    case truePeak(ClosedRange<Double>)
    /// `80 Hz`, `8 kHz` [Hz]; must also be below the session's Nyquist frequency.
    case frequency(ClosedRange<Double>)
    /// `5 ms`, `1.8 s` [seconds]
    case duration(ClosedRange<Double>)
    /// `4` or `4:1` [ratio]
    case ratio(ClosedRange<Double>)
    /// `40%` or `0.4` [fraction 0…1]
    case fraction
    /// A plain number.
    case number(ClosedRange<Double>)
    /// One of the listed words.
    case choice([String])
    /// `true` / `false`
    case flag
    /// `level` or one word (`makeup: auto`) [dB or the word]
    case levelOrWord(ClosedRange<Double>, String)
    /// `250 ms` or a tempo-synced note value (`1/8`, `1/4.`, `1/8t`) [seconds, from the session tempo]
    case noteOrDuration(ClosedRange<Double>)
    /// `64 smp`, `-2 ms` [samples, rounded to nearest]
    case samplesOrDuration
    /// A file path relative to the recipe's folder [absolute path]; must exist.
    case file

    var expectation: String {
        switch self {
        case .level: return "a level such as '-3 dB'"
        case .truePeak: return "a true-peak level such as '-1 dBTP'"
        case .frequency: return "a frequency such as '8 kHz'"
        case .duration: return "a duration such as '20 ms'"
        case .ratio: return "a ratio such as '4' or '4:1'"
        case .fraction: return "a fraction such as '40%' or 0.4"
        case .number: return "a number"
        case .choice(let words): return "one of " + words.map { "'\($0)'" }.joined(separator: ", ")
        case .flag: return "true or false"
        case .levelOrWord(_, let word): return "a level such as '-3 dB' or '\(word)'"
        case .noteOrDuration: return "a time such as '250 ms' or a note value such as '1/8', '1/4.' or '1/8t'"
        case .samplesOrDuration: return "samples ('64 smp') or a time ('2 ms')"
        case .file: return "a file path"
        }
    }
}
