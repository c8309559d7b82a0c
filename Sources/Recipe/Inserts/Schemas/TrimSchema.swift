extension ProcessorSchema {
    static let trim = ProcessorSchema(
        name: "trim", summary: "Moves the signal later (positive) or earlier (negative, tracks only) in time.",
        parameters: [ParameterSchema("time", .samplesOrDuration, default: .number(0),
                                     "shift in samples ('64 smp') or time ('-2 ms'); negative advances")],
        shorthandParameter: "time")
}
