extension ProcessorSchema {
    static let deesser = ProcessorSchema(
        name: "deesser", summary: "Split-band de-esser: turns down the band above 'freq' while it is above 'threshold'.",
        parameters: [
            ParameterSchema("freq", .frequency(2000...16000), default: .number(6000),
                            "split frequency: the band above it is detected and reduced"),
            ParameterSchema("threshold", .level(-60...0), default: .number(-30), "RMS level of the band where reduction starts"),
            ParameterSchema("range", .level(-40...0), default: .number(-12), "most reduction"),
        ])
}
