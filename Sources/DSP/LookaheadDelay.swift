/// The main-path delay of a look-ahead dynamics processor: each channel is delayed by `delay` whole samples
/// (a ring buffer per channel), so the detector, which sees the undelayed signal, acts `delay` samples early.
/// Works on any stretch of a channel (pointer and count), so a processor can run it on part of a block.
/// A `delay` of 0 passes samples through. Allocated in `prepare`; never copied.
final class LookaheadDelay: @unchecked Sendable {
    let delay: Int
    private let rings: [UnsafeMutablePointer<Float>]
    private let positions: UnsafeMutablePointer<Int>

    init(channels: Int, delay: Int) {
        self.delay = delay
        rings = (0..<channels).map { _ in
            let ring = UnsafeMutablePointer<Float>.allocate(capacity: max(1, delay))
            ring.initialize(repeating: 0, count: max(1, delay))
            return ring
        }
        positions = .allocate(capacity: channels)
        positions.initialize(repeating: 0, count: channels)
    }

    deinit {
        for ring in rings { ring.deallocate() }
        positions.deallocate()
    }

    /// Delays `count` samples of `channel` in place.
    func process(_ samples: UnsafeMutablePointer<Float>, count: Int, channel: Int) {
        guard delay > 0 else { return }
        let ring = rings[channel]
        var p = positions[channel]
        for i in 0..<count {
            let delayed = ring[p]
            ring[p] = samples[i]
            samples[i] = delayed
            p += 1
            if p == delay { p = 0 }
        }
        positions[channel] = p
    }

    func reset() {
        for ring in rings { ring.update(repeating: 0, count: max(1, delay)) }
        positions.update(repeating: 0, count: rings.count)
    }
}
