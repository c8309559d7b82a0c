/// The delay processor's state: one ring of exactly `length` samples per channel (Double, so echoes keep their
/// exact closed-form amplitudes) and one feedback-filter state per channel. A class so the rings are allocated
/// once in prepare and never copied.
final class EchoLines: @unchecked Sendable {
    let channels: Int
    let length: Int
    private let rings: [UnsafeMutablePointer<Double>]
    /// Per channel: the filter's previous input and output.
    private var filterInput: [Double]
    private var filterOutput: [Double]
    private var position = 0

    init(channels: Int, length: Int) {
        precondition(length > 0)
        self.channels = channels
        self.length = length
        rings = (0..<channels).map { _ in
            let ring = UnsafeMutablePointer<Double>.allocate(capacity: length)
            ring.initialize(repeating: 0, count: length)
            return ring
        }
        filterInput = [Double](repeating: 0, count: channels)
        filterOutput = [Double](repeating: 0, count: channels)
    }

    deinit { for ring in rings { ring.deallocate() } }

    func reset() {
        for ring in rings { ring.update(repeating: 0, count: length) }
        for c in 0..<channels {
            filterInput[c] = 0
            filterOutput[c] = 0
        }
        position = 0
    }

    /// One independent echo line: the feedback path is feedback × lowpass(echo). Channels are processed one after
    /// another from the same start position; the position advances once per block (after the last channel).
    func process(_ samples: UnsafeMutablePointer<Float>, channel c: Int, frames: Int, _ k: DelayCoefficients) {
        let ring = rings[c]
        let b0 = k.filter?.b0 ?? 1, a1 = k.filter?.a1 ?? 0, hasFilter = k.filter != nil
        var x1 = filterInput[c], y1 = filterOutput[c]
        var p = position
        for i in 0..<frames {
            let x = Double(samples[i])
            let echo = ring[p]
            var fed = echo
            if hasFilter {
                fed = b0 * (echo + x1) - a1 * y1
                x1 = echo
                y1 = fed
            }
            let next = x + k.feedback * fed
            // A silent tail ends in exact zeros rather than denormals (slow on x86): flush below −400 dB.
            ring[p] = abs(next) < 1e-20 ? 0 : next
            samples[i] = Float(k.dry * x + k.wet * echo)
            p += 1
            if p == length { p = 0 }
        }
        filterInput[c] = x1
        filterOutput[c] = y1
        if c == channels - 1 { position = p }
    }

    /// Ping-pong: the input's mono sum enters the left line; the left line feeds the right and the right the left
    /// (each through its own feedback filter).
    func processPingPong(_ left: UnsafeMutablePointer<Float>, _ right: UnsafeMutablePointer<Float>, frames: Int,
                         _ k: DelayCoefficients) {
        let ringL = rings[0], ringR = rings[1]
        let b0 = k.filter?.b0 ?? 1, a1 = k.filter?.a1 ?? 0, hasFilter = k.filter != nil
        var xL1 = filterInput[0], yL1 = filterOutput[0], xR1 = filterInput[1], yR1 = filterOutput[1]
        var p = position
        for i in 0..<frames {
            let xL = Double(left[i]), xR = Double(right[i])
            let echoL = ringL[p], echoR = ringR[p]
            var fedL = echoL, fedR = echoR
            if hasFilter {
                fedL = b0 * (echoL + xL1) - a1 * yL1
                xL1 = echoL
                yL1 = fedL
                fedR = b0 * (echoR + xR1) - a1 * yR1
                xR1 = echoR
                yR1 = fedR
            }
            let nextL = 0.5 * (xL + xR) + k.feedback * fedR, nextR = k.feedback * fedL
            ringL[p] = abs(nextL) < 1e-20 ? 0 : nextL
            ringR[p] = abs(nextR) < 1e-20 ? 0 : nextR
            left[i] = Float(k.dry * xL + k.wet * echoL)
            right[i] = Float(k.dry * xR + k.wet * echoR)
            p += 1
            if p == length { p = 0 }
        }
        filterInput[0] = xL1
        filterOutput[0] = yL1
        filterInput[1] = xR1
        filterOutput[1] = yR1
        position = p
    }
}
