/// An impulse-response file as probed from its header (by the façade, before compiling): enough to declare the
/// convolution reverb's latency and tail without reading the audio.
public struct ImpulseResponseFile: Sendable, Equatable, Codable {
    /// Absolute path.
    public var path: String
    /// Frames at the file's own rate.
    public var frames: Int64
    public var sampleRate: Int
    /// 1 (mono: both sides), 2 (left → left, right → right) or 4 (true stereo: L→L, L→R, R→L, R→R).
    public var channels: Int

    public init(path: String, frames: Int64, sampleRate: Int, channels: Int) {
        self.path = path
        self.frames = frames
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Channel counts the convolution reverb accepts.
    public static let supportedChannels = [1, 2, 4]

    /// Frames at `sessionRate` (the resampled IR's exact length: frames × sessionRate / fileRate, half up).
    public func frames(atRate sessionRate: Int) -> Int {
        if sampleRate == sessionRate { return Int(frames) }
        return Int((frames * Int64(sessionRate) + Int64(sampleRate) / 2) / Int64(sampleRate))
    }
}

/// reverb with `ir:` — convolution with a recorded impulse response. The processor itself lives in the
/// `Convolution` module (it needs the FFT and the IR's samples); these are its settings and declared traits.
public struct ConvolutionReverbParameters: Sendable, Equatable, Codable {
    public var ir: ImpulseResponseFile
    /// Seconds, rounded to whole samples.
    public var predelay: Double
    /// Fraction 0…1: output = (1 − mix)·input + mix·(input ∗ IR).
    public var mix: Double

    public init(ir: ImpulseResponseFile, predelay: Double = 0, mix: Double = 1) {
        self.ir = ir
        self.predelay = predelay
        self.mix = mix
    }

    /// Samples per partition of the uniformly partitioned convolution: also its latency.
    public static let partitionSize = 1024

    /// Predelay in whole samples.
    public func predelaySamples(sampleRate: Double) -> Int { Int((predelay * sampleRate).rounded()) }

    /// Latency: one partition. Tail: the IR's length at the session rate plus the predelay (computed from the
    /// header, without loading the IR).
    public func traits(sampleRate: Double) -> ProcessorTraits {
        let irFrames = ir.frames(atRate: Int(sampleRate.rounded()))
        return ProcessorTraits(latency: Self.partitionSize, tail: irFrames + predelaySamples(sampleRate: sampleRate))
    }
}
