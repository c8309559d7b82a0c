/// gain: a fixed level change.
///
/// Parameters: `gain` dB (−∞…+24, default 0). Latency 0, tail 0.
public struct Gain: AudioProcessor {
    public var decibels: Double
    private var factor: Float = 1

    public init(decibels: Double) { self.decibels = decibels }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        factor = Float(Decibels.toLinear(decibels))
        return ProcessorTraits()
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        for c in 0..<io.channelCount { SignalKernels.scale(io[c], by: factor, into: io[c], count: frames) }
    }

    public mutating func reset() {}

    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {
        guard parameter == .gain else { return }
        decibels = value
        factor = Float(Decibels.toLinear(value))
    }
}
