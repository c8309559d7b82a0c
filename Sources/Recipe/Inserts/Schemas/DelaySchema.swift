extension ProcessorSchema {
    static let delay = ProcessorSchema(
        name: "delay", summary: "A feedback echo, free or synced to the tempo, optionally ping-pong.",
        parameters: [
            ParameterSchema("time", .noteOrDuration(0.001...4), default: nil,
                            "delay time: '250 ms' or a note value ('1/8', '1/4.', '1/8t') at the session tempo"),
            ParameterSchema("feedback", .fraction, default: .number(0.3), "gain from each echo to the next (at most 99%)"),
            ParameterSchema("mix", .fraction, default: .number(0.3), "echo level; the input is kept at 1 − mix"),
            ParameterSchema("lowpass", .frequency(20...40000), default: .text("off"),
                            "lowpass in the feedback path: each echo is darker than the one before"),
            ParameterSchema("pingpong", .flag, default: .flag(false), "echoes alternate left and right"),
        ],
        shorthandParameter: "time",
        crossCheck: { written, values in
            guard case .number(let feedback)? = values["feedback"], feedback > 0.99 else { return [] }
            return [ParameterProblem(key: "feedback", "'feedback' must be at most 99% (each echo quieter than the one "
                                     + "before), found '\(written["feedback"] ?? "")'", atValue: true)]
        })
}
