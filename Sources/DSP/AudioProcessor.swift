/// What a processor is told before a render: the session rate, the largest block it will see, its channel count.
public struct ProcessSpec: Sendable, Equatable {
    public var sampleRate: Double
    public var maxBlockSize: Int
    /// 1 or 2: inserts on a track fed by a mono stem see mono (they run before the pan).
    public var channels: Int

    public init(sampleRate: Double, maxBlockSize: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.maxBlockSize = maxBlockSize
        self.channels = channels
    }
}

/// Facts a processor declares once prepared; the compiler and engine rely on them.
public struct ProcessorTraits: Sendable, Equatable {
    /// Samples by which the output lags the input (lookahead, linear-phase filters). The graph compensates.
    public var latency: Int
    /// Samples the output may keep ringing after the input falls silent (reverb, delay). Extends the render.
    public var tail: Int

    public init(latency: Int = 0, tail: Int = 0) {
        self.latency = latency
        self.tail = tail
    }
}

/// The processor contract: prepare allocates, process never does, reset returns to time zero.
///
/// - `prepare` derives coefficients and allocates state; it runs single-threaded before rendering.
/// - `process` transforms `frames` frames of `io` in place. No allocation, locks, I/O, logging or throwing.
///   `sidechain`, when the processor has a key input, holds the key signal for the same frames.
/// - `reset` clears state back to what `prepare` left, without allocating.
///
/// Output must not depend on how a signal is cut into blocks: tests feed block sizes 1, 64, 65, 512, 8193.
public protocol AudioProcessor: Sendable {
    mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits
    mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?)
    mutating func reset()
    /// Moves an automated parameter to `value` (recipe units: dB, Hz, ratio, fraction) without resetting state and
    /// without allocating. The engine calls it on a fixed 32-sample grid of the timeline, between `process` calls.
    mutating func set(_ parameter: ProcessorParameter, to value: Double)
}

/// A parameter automation can move while rendering.
public enum ProcessorParameter: Sendable, Equatable, Codable, CustomStringConvertible {
    case gain, threshold, ratio, makeup, mix, width, feedback, drive
    /// EQ band parameters (band index from 0).
    case bandGain(Int), bandFrequency(Int), bandQ(Int)

    /// Frames between parameter updates, on a grid fixed to the timeline so output never depends on block size.
    public static let updateInterval = 32

    public var description: String {
        switch self {
        case .gain: return "gain"
        case .threshold: return "threshold"
        case .ratio: return "ratio"
        case .makeup: return "makeup"
        case .mix: return "mix"
        case .width: return "width"
        case .feedback: return "feedback"
        case .drive: return "drive"
        case .bandGain(let band): return "\(band + 1).gain"
        case .bandFrequency(let band): return "\(band + 1).freq"
        case .bandQ(let band): return "\(band + 1).q"
        }
    }
}

extension AudioProcessor {
    /// Processors without automatable parameters ignore updates (the recipe layer never asks them).
    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {}
}
