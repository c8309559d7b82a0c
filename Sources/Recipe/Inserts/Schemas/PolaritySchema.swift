extension ProcessorSchema {
    static let polarity = ProcessorSchema(
        name: "polarity", summary: "Inverts the signal's polarity.",
        parameters: [ParameterSchema("channels", .choice(["all", "left", "right"]), default: .text("all"),
                                     "which channels to invert")],
        shorthandParameter: "channels")
}
