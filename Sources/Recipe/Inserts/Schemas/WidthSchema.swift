extension ProcessorSchema {
    static let width = ProcessorSchema(
        name: "width", summary: "Mid/side stereo width: 0 mono, 1 unchanged, 2 double side.",
        parameters: [ParameterSchema("width", .number(0...2), default: .number(1), "side level relative to mid")],
        shorthandParameter: "width")
}
