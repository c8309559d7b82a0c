extension ProcessorSchema {
    static let monoBelow = ProcessorSchema(
        name: "mono_below", summary: "Sums the stereo image to mono below a frequency (LR4 crossover, phase-coherent).",
        parameters: [ParameterSchema("freq", .frequency(20...1000), default: nil, "crossover frequency")],
        shorthandParameter: "freq")
}
