/// trim: shifts the signal in time by a whole number of samples.
///
/// Parameters: `delay` (samples or time; ≥ 0) moves the signal later. An *advance* (negative value) moves it
/// earlier, which offline rendering can do exactly: the processor delays by nothing but declares a negative
/// latency, and the graph's delay compensation delays every other path instead.
/// Latency: −advance (0 for a delay). Tail: the delay.
public struct Trim: AudioProcessor {
    /// Positive: delay; negative: advance.
    public var samples: Int
    private var line: DelayLine?

    public init(samples: Int) { self.samples = samples }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        if samples > 0 {
            line = DelayLine(channels: spec.channels, delay: samples)
            return ProcessorTraits(latency: 0, tail: samples)
        }
        line = nil
        return ProcessorTraits(latency: samples, tail: 0)
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        line?.process(io, frames: frames)
    }

    public mutating func reset() { line?.reset() }
}
