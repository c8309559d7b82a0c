extension ProcessorSchema {
    /// Parameters of the algorithmic reverb that a convolution reverb (`ir:`) does not have.
    static let algorithmicReverbKeys = ["decay", "size", "damping", "width"]

    static let reverb = ProcessorSchema(
        name: "reverb",
        summary: "Algorithmic reverb (feedback delay network), or convolution with an impulse response ('ir').",
        parameters: [
            ParameterSchema("decay", .duration(0.1...20), default: .number(1.8), "RT60 at mid frequencies"),
            ParameterSchema("predelay", .duration(0...0.5), default: .number(0.02),
                            "delay before the reverb starts (default 20 ms; 0 with 'ir')"),
            ParameterSchema("size", .fraction, default: .number(0.5), "room size: delay-line lengths"),
            ParameterSchema("damping", .fraction, default: .number(0.4), "how much faster the highs decay"),
            ParameterSchema("width", .fraction, default: .number(1), "stereo width of the reverb (0 = mono)"),
            ParameterSchema("mix", .fraction, default: .number(1), "reverb level; the input is kept at 1 − mix"),
            ParameterSchema("ir", .file, default: .text(""),
                            "impulse response file: convolution instead of the algorithmic reverb"),
        ],
        crossCheck: { written, _ in
            guard let ir = written["ir"] else { return [] }
            return algorithmicReverbKeys.filter { written[$0] != nil }.map { key in
                ParameterProblem(key: key, "'\(key)' does not apply to a convolution reverb (ir: \(ir))")
            }
        })
}
