import DSP
import Recipe

/// Maps validated recipe inserts to processor configurations (canonical units → DSP parameter types).
enum InsertCompiler {
    /// - Parameter impulseResponses: IR facts by absolute path (probed by the façade), for `reverb` with `ir`.
    static func configuration(for insert: Insert, impulseResponses: [String: ImpulseResponseFile] = [:])
        -> ProcessorConfiguration {
        switch insert.processor.value {
        case "gain": return .gain(decibels: insert.number("gain"))
        case "polarity": return .polarity(Polarity.Channels(rawValue: insert.text("channels")) ?? .all)
        case "trim": return .trim(samples: max(0, Int(insert.number("time"))))
        case "eq": return eq(insert)
        case "highpass": return pass(insert, .highpass)
        case "lowpass": return pass(insert, .lowpass)
        case "width": return .width(insert.number("width"))
        case "mono_below": return .monoBelow(hertz: insert.number("freq"))
        case "saturate": return saturate(insert)
        case "delay": return delay(insert)
        case "reverb": return reverb(insert, impulseResponses: impulseResponses)
        case "compressor": return compressor(insert)
        case "gate": return gate(insert)
        case "limiter": return limiter(insert)
        case "deesser": return deesser(insert)
        default: preconditionFailure("processor '\(insert.processor.value)' is in the catalog but not compiled")
        }
    }

    /// Samples a track's stem moves earlier because of negative `trim` inserts (advances).
    static func advance(of inserts: [Insert]) -> Int64 {
        inserts.filter { $0.processor.value == "trim" && !$0.bypass }
            .reduce(0) { $0 + Int64(max(0, -$1.number("time"))) }
    }
}
