/// A fixed delay of whole samples per channel (ring buffer), used by `trim` and by the graph's latency
/// compensation. A reference type so the ring's memory is allocated once and never copied.
public final class DelayLine: @unchecked Sendable {
    public let delay: Int
    private let rings: [UnsafeMutablePointer<Float>]
    private var position = 0

    public init(channels: Int, delay: Int) {
        precondition(delay > 0)
        self.delay = delay
        rings = (0..<channels).map { _ in
            let ring = UnsafeMutablePointer<Float>.allocate(capacity: delay)
            ring.initialize(repeating: 0, count: delay)
            return ring
        }
    }

    deinit { for ring in rings { ring.deallocate() } }

    /// Delays `frames` frames of `io` in place.
    public func process(_ io: AudioBuffer, frames: Int) {
        var start = position
        for (c, ring) in rings.enumerated() where c < io.channelCount {
            let samples = io[c]
            var p = position
            for i in 0..<frames {
                let delayed = ring[p]
                ring[p] = samples[i]
                samples[i] = delayed
                p += 1
                if p == delay { p = 0 }
            }
            start = p
        }
        position = start
    }

    public func reset() {
        for ring in rings { ring.update(repeating: 0, count: delay) }
        position = 0
    }
}
