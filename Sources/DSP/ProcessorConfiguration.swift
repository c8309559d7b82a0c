/// A processor and its settings as plain data: what the render plan stores and prints, and what the engine
/// instantiates. One case per processor.
public enum ProcessorConfiguration: Sendable, Equatable, Codable {
    case gain(decibels: Double)
    case polarity(Polarity.Channels)
    /// Delay by this many samples (≥ 0; advances are folded into stem offsets by the compiler).
    case trim(samples: Int)

    /// A fresh, unprepared processor for this configuration.
    public func makeProcessor() -> any AudioProcessor {
        switch self {
        case .gain(let decibels): return Gain(decibels: decibels)
        case .polarity(let channels): return Polarity(channels: channels)
        case .trim(let samples): return Trim(samples: samples)
        }
    }

    /// Whether the processor needs two channels even on a mono track (a mono chain is then duplicated first).
    public var requiresStereo: Bool {
        switch self {
        case .gain, .polarity, .trim: return false
        }
    }

    /// Latency and tail at this spec (prepares a throwaway instance: pure, no I/O).
    public func traits(_ spec: ProcessSpec) -> ProcessorTraits {
        var processor = makeProcessor()
        return processor.prepare(spec)
    }
}
