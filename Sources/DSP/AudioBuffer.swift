/// Planar audio storage allocated once (in prepare) and reused for every block.
///
/// A reference type so that engine nodes can hand buffers to each other without copying. It is `@unchecked
/// Sendable` because the engine guarantees that a buffer is written by exactly one node per block and read only
/// after that node has finished (the schedule's dependency order).
public final class AudioBuffer: @unchecked Sendable {
    public let channelCount: Int
    public let capacity: Int
    public let channels: [UnsafeMutablePointer<Float>]

    public init(channels channelCount: Int, capacity: Int) {
        precondition(channelCount > 0 && capacity > 0)
        self.channelCount = channelCount
        self.capacity = capacity
        channels = (0..<channelCount).map { _ in
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
            return pointer
        }
    }

    deinit {
        for channel in channels { channel.deallocate() }
    }

    @inlinable
    public subscript(channel: Int) -> UnsafeMutablePointer<Float> { channels[channel] }

    public func clear(count: Int) {
        for channel in channels { SignalKernels.clear(channel, count: count) }
    }
}
