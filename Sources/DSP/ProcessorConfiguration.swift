/// A processor and its settings as plain data: what the render plan stores and prints, and what the engine
/// instantiates. One case per processor.
public enum ProcessorConfiguration: Sendable, Equatable, Codable {
    case gain(decibels: Double)
    case polarity(Polarity.Channels)
    /// Delay by this many samples (≥ 0; advances are folded into stem offsets by the compiler).
    case trim(samples: Int)
    case delay(DelayParameters)
    /// Algorithmic reverb (feedback delay network).
    case reverb(ReverbParameters)
    /// Convolution reverb: built by the engine's processor factory, which loads the IR (DSP reads no files).
    case convolutionReverb(ConvolutionReverbParameters)
    /// Biquad bands in order (also the `highpass` / `lowpass` shorthands, as one band).
    case eq(bands: [EQBand])
    /// Mid/side width 0…2 (1 = unchanged).
    case width(Double)
    /// Mono below this crossover frequency in Hz (LR4).
    case monoBelow(hertz: Double)
    case saturate(SaturateParameters)
    /// Soft-knee feed-forward compressor (optionally keyed by another strip).
    case compressor(CompressorParameters)
    /// Downward expander / gate (optionally keyed).
    case gate(GateParameters)
    /// True-peak look-ahead limiter.
    case limiter(LimiterParameters)
    /// Split-band de-esser.
    case deesser(DeesserParameters)

    /// A fresh, unprepared processor for this configuration.
    public func makeProcessor() -> any AudioProcessor {
        switch self {
        case .gain(let decibels): return Gain(decibels: decibels)
        case .polarity(let channels): return Polarity(channels: channels)
        case .trim(let samples): return Trim(samples: samples)
        case .delay(let parameters): return Delay(parameters)
        case .reverb(let parameters): return Reverb(parameters)
        case .convolutionReverb:
            preconditionFailure("a convolution reverb needs its IR loaded: build it with Engine's ProcessorFactory")
        case .eq(let bands): return EQ(bands: bands)
        case .width(let width): return Width(width: width)
        case .monoBelow(let hertz): return MonoBelow(frequency: hertz)
        case .saturate(let parameters): return Saturate(parameters)
        case .compressor(let parameters): return Compressor(parameters)
        case .gate(let parameters): return Gate(parameters)
        case .limiter(let parameters): return Limiter(parameters)
        case .deesser(let parameters): return Deesser(parameters)
        }
    }

    /// Whether the processor needs two channels even on a mono track (a mono chain is then duplicated first).
    public var requiresStereo: Bool {
        switch self {
        case .gain, .polarity, .trim: return false
        case .delay(let parameters): return parameters.pingpong
        case .reverb: return true
        case .convolutionReverb(let parameters): return parameters.ir.channels > 1
        case .eq, .saturate: return false
        case .width, .monoBelow: return true
        case .compressor, .gate, .limiter, .deesser: return false
        }
    }

    /// Latency and tail at this spec (prepares a throwaway instance: pure, no I/O).
    public func traits(_ spec: ProcessSpec) -> ProcessorTraits {
        if case .convolutionReverb(let parameters) = self { return parameters.traits(sampleRate: spec.sampleRate) }
        var processor = makeProcessor()
        return processor.prepare(spec)
    }
}
