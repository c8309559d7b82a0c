extension ProcessorSchema {
    static let limiter = ProcessorSchema(
        name: "limiter", summary: "True-peak look-ahead limiter: the output's true peak stays at or below 'ceiling'.",
        parameters: [
            ParameterSchema("ceiling", .truePeak(-20...0), default: .number(-1), "highest output true peak"),
            ParameterSchema("release", .duration(0...5), default: .number(0.050), "recovery time constant"),
            ParameterSchema("lookahead", .duration(0.0005...0.020), default: .number(0.0015),
                            "the audio is delayed this much so the gain ramps down before each peak (latency)"),
        ],
        shorthandParameter: "ceiling")
}
