extension ProcessorSchema {
    static let saturate = ProcessorSchema(
        name: "saturate", summary: "4× oversampled waveshaper: tape (tanh), tube (asymmetric) or hard clip.",
        parameters: [
            ParameterSchema("drive", .level(0...36), default: .number(6), "gain into the curve"),
            ParameterSchema("mix", .fraction, default: .number(1), "wet share (dry is latency-aligned)"),
            ParameterSchema("type", .choice(["tape", "tube", "hard"]), default: .text("tape"), "curve"),
        ],
        shorthandParameter: "drive")
}
