import DSP
import Recipe

/// `delay` and `reverb` (algorithmic or convolution) inserts → configurations.
extension InsertCompiler {
    static func delay(_ insert: Insert) -> ProcessorConfiguration {
        var lowpass: Double?
        if case .number(let hertz)? = insert.parameters["lowpass"] { lowpass = hertz }
        return .delay(DelayParameters(time: insert.number("time"), feedback: insert.number("feedback"),
                                      mix: insert.number("mix"), lowpass: lowpass, pingpong: insert.flag("pingpong")))
    }

    static func reverb(_ insert: Insert, impulseResponses: [String: ImpulseResponseFile]) -> ProcessorConfiguration {
        let path = insert.text("ir")
        guard !path.isEmpty else {
            return .reverb(ReverbParameters(decay: insert.number("decay"), predelay: insert.number("predelay"),
                                            size: insert.number("size"), damping: insert.number("damping"),
                                            width: insert.number("width"), mix: insert.number("mix")))
        }
        guard let ir = impulseResponses[path] else {
            preconditionFailure("impulse response '\(path)' was not probed before compiling")
        }
        // An IR carries its own initial delay: the predelay defaults to 0 here (20 ms is the algorithmic default).
        let predelay = insert.locations["predelay"] == nil ? 0 : insert.number("predelay")
        return .convolutionReverb(ConvolutionReverbParameters(ir: ir, predelay: predelay, mix: insert.number("mix")))
    }
}
