extension ProcessorSchema {
    static let compressor = ProcessorSchema(
        name: "compressor", summary: "Soft-knee, stereo-linked compressor with look-ahead, parallel mix and side-chain.",
        parameters: [
            ParameterSchema("threshold", .level(-60...0), default: .number(-18), "level where compression starts"),
            ParameterSchema("ratio", .ratio(1...100), default: .number(4), "input dB over threshold per output dB"),
            ParameterSchema("knee", .level(0...24), default: .number(6), "soft-knee width around the threshold"),
            ParameterSchema("attack", .duration(0...1), default: .number(0.010),
                            "time constant of rising gain reduction"),
            ParameterSchema("release", .duration(0...5), default: .number(0.100),
                            "time constant of falling gain reduction"),
            ParameterSchema("makeup", .levelOrWord(-24...24, "auto"), default: .number(0),
                            "gain after compression; 'auto' = half the reduction at 0 dBFS"),
            ParameterSchema("detector", .choice(["peak", "rms"]), default: .text("peak"),
                            "level detector (rms: 10 ms mean square)"),
            ParameterSchema("lookahead", .duration(0...0.020), default: .number(0),
                            "the audio is delayed this much so the gain can act early (latency)"),
            ParameterSchema("mix", .fraction, default: .number(1), "compressed share; the rest is the dry signal"),
            ParameterSchema("sidechain_highpass", .frequency(0...20000), default: .number(0),
                            "high-pass on the detector input only; 0 = off"),
        ],
        acceptsSidechain: true)
}
