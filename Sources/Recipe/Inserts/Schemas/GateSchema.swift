extension ProcessorSchema {
    static let gate = ProcessorSchema(
        name: "gate", summary: "Gate / downward expander: attenuates by 'range' while the level is below 'threshold'.",
        parameters: [
            ParameterSchema("threshold", .level(-100...0), default: .number(-40), "peak level that opens the gate"),
            ParameterSchema("range", .level(-.infinity...0), default: .number(-40),
                            "gain while closed ('-inf dB' = silence)"),
            ParameterSchema("attack", .duration(0...1), default: .number(0.001), "opening time constant"),
            ParameterSchema("hold", .duration(0...5), default: .number(0.010),
                            "time the gate stays open after the level falls below the threshold"),
            ParameterSchema("release", .duration(0...10), default: .number(0.100), "closing time constant"),
        ],
        acceptsSidechain: true)
}
