extension ProcessorSchema {
    static let gain = ProcessorSchema(
        name: "gain", summary: "A fixed level change.",
        parameters: [ParameterSchema("gain", .level(-.infinity...24), default: .number(0), "level change")],
        shorthandParameter: "gain")
}
