extension ProcessorSchema {
    /// The keys of one `eq` band. `gain`, `q` and `slope` have no fixed default: which apply, and their defaults,
    /// depend on the band type (see `EQBandRules`).
    static let eqBand: [ParameterSchema] = [
        ParameterSchema("type", .choice(EQBandRules.types), default: .text("peak"), "band type"),
        ParameterSchema("freq", .frequency(5...100_000), default: nil, "centre, corner or cutoff frequency"),
        .optional("gain", .level(-30...30), "boost or cut (peak, lowshelf, highshelf; required there)"),
        .optional("q", .number(0.1...40),
                  "bandwidth: peak, bandpass, notch (default 1), 12 dB/oct highpass/lowpass (default 0.7071), shelves"),
        .optional("slope", .number(0.1...48),
                  "shelves: shelf slope S 0.1…1 (default 1); highpass/lowpass: 12, 24, 36 or 48 dB/oct (default 12)"),
    ]

    static let eq = ProcessorSchema(
        name: "eq", summary: "Parametric EQ: RBJ cookbook biquad bands in order.",
        parameters: [], bandParameters: eqBand)

    static let highpass = passShorthand("highpass")
    static let lowpass = passShorthand("lowpass")

    /// `- highpass: 30 Hz`, `- highpass: { freq: 30 Hz, slope: 24 }`: an `eq` with one band.
    private static func passShorthand(_ type: String) -> ProcessorSchema {
        ProcessorSchema(
            name: type, summary: "A Butterworth \(type) (12, 24, 36 or 48 dB/oct); an eq with one band.",
            parameters: [
                ParameterSchema("freq", .frequency(5...100_000), default: nil, "cutoff frequency (−3 dB)"),
                ParameterSchema("slope", .number(12...48), default: .number(12), "12, 24, 36 or 48 dB/oct"),
                .optional("q", .number(0.1...40), "resonance of a 12 dB/oct filter (default 0.7071)"),
            ],
            shorthandParameter: "freq",
            crossCheck: { written, values in
                var problems: [ParameterProblem] = []
                if let message = EQBandRules.passSlopeProblem(type: type, values["slope"]) {
                    problems.append(ParameterProblem(key: "slope", message, atValue: true))
                } else if let message = EQBandRules.passQProblem(type: type, values) {
                    problems.append(ParameterProblem(key: "q", message))
                }
                return problems
            })
    }
}

/// Cross-field rules of an EQ band (and of the highpass/lowpass shorthands).
enum EQBandRules {
    static let types = ["peak", "lowshelf", "highshelf", "highpass", "lowpass", "bandpass", "notch"]
    static let passSlopes: [Double] = [12, 24, 36, 48]

    /// The first problem with a parsed band, or nil. Keys that failed to parse are absent and not judged here.
    static func problem(_ band: [String: ParameterValue]) -> String? {
        guard case .text(let type)? = band["type"] else { return nil }
        let hasGain = ["peak", "lowshelf", "highshelf"].contains(type)
        let isShelf = type == "lowshelf" || type == "highshelf"
        let isPass = type == "highpass" || type == "lowpass"
        if hasGain, band["gain"] == nil { return "a \(type) band needs 'gain'" }
        if !hasGain, band["gain"] != nil {
            return "'gain' does not apply to a \(type) band (only to peak, lowshelf and highshelf)"
        }
        if isPass {
            if let message = passSlopeProblem(type: type, band["slope"]) { return message }
            return passQProblem(type: type, band)
        }
        if isShelf {
            if band["q"] != nil, band["slope"] != nil { return "a \(type) band takes 'q' or 'slope', not both" }
            if case .number(let s)? = band["slope"], !(0.1...1).contains(s) {
                return "'slope' of a \(type) band is the shelf slope S, 0.1…1 (1 = steepest without overshoot), "
                    + "found \(format(s))"
            }
            return nil
        }
        if band["slope"] != nil {
            return "'slope' does not apply to a \(type) band (only to shelves and highpass/lowpass)"
        }
        return nil
    }

    static func passSlopeProblem(type: String, _ slope: ParameterValue?) -> String? {
        guard case .number(let s)? = slope, !passSlopes.contains(s) else { return nil }
        return "'slope' of a \(type) must be 12, 24, 36 or 48 (dB/oct), found \(format(s))"
    }

    static func passQProblem(type: String, _ values: [String: ParameterValue]) -> String? {
        guard values["q"] != nil, case .number(let s)? = values["slope"], s > 12 else { return nil }
        return "'q' applies only to a 12 dB/oct \(type); steeper slopes are Butterworth cascades with fixed Qs"
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
