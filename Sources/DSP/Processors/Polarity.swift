/// polarity: inverts the signal (multiplies by −1), on every channel or only `left` / `right`.
///
/// Parameters: `channels` all | left | right (default all). Latency 0, tail 0.
public struct Polarity: AudioProcessor {
    public enum Channels: String, Sendable, Codable, Equatable { case all, left, right }
    public var channels: Channels

    public init(channels: Channels = .all) { self.channels = channels }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits { ProcessorTraits() }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        for c in 0..<io.channelCount {
            let flip = channels == .all || io.channelCount == 1 || (channels == .left) == (c == 0)
            if flip { SignalKernels.scale(io[c], by: -1, into: io[c], count: frames) }
        }
    }

    public mutating func reset() {}
}
