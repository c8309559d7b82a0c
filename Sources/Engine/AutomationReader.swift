import DSP
import RenderGraph

/// Evaluates a plan envelope for a node's frames: engine frame f is output frame f − latency, which the playback
/// maps onto the timeline (inside a crossfade, the two segments' values are blended by their linear weights; past
/// the last segment the timeline runs on, so tails keep the final value).
final class AutomationReader: @unchecked Sendable {
    let envelope: Envelope
    let latency: Int
    private let playback: Playback?
    private var hint = 0, hintB = 0, segmentHint = 0

    init(_ planned: PlanEnvelope, playback: Playback?) {
        envelope = planned.envelope
        latency = planned.latency
        self.playback = playback
    }

    /// The value at one engine frame.
    func value(atEngineFrame frame: Int64) -> Double {
        let u = frame - Int64(latency)
        guard let playback, !playback.segments.isEmpty else { return envelope.value(at: u, hint: &hint) }
        // Frames arrive in increasing order: start the search at the last segment found (segments are in output
        // order, and at most two overlap), so a long arrangement costs no more per sample than a short one.
        let segments = playback.segments
        if segmentHint >= segments.count || segments[segmentHint].soundingStart > u { segmentHint = 0 }
        while segmentHint + 1 < segments.count, segments[segmentHint].soundingEnd <= u { segmentHint += 1 }
        var first: Int?
        var second: Int?
        var index = segmentHint
        while index < segments.count, segments[index].soundingStart <= u {
            if u < segments[index].soundingEnd {
                if first == nil { first = index } else { second = index; break }
            }
            index += 1
        }
        guard let a = first else {
            // Before the first or after the last segment: extend the nearest one's timeline.
            let segment = u < 0 ? playback.segments[0] : playback.segments[playback.segments.count - 1]
            return envelope.value(at: segment.timeline(at: u), hint: &hint)
        }
        let segmentA = playback.segments[a]
        let valueA = envelope.value(at: segmentA.timeline(at: u), hint: &hint)
        guard let b = second else { return valueA }
        let segmentB = playback.segments[b]
        let valueB = envelope.value(at: segmentB.timeline(at: u), hint: &hintB)
        let wA = segmentA.weight(at: u), wB = segmentB.weight(at: u)
        return (valueA * wA + valueB * wB) / max(1e-12, wA + wB)
    }

    /// Values for `frames` engine frames from `start`.
    func fill(start: Int64, frames: Int, into values: UnsafeMutablePointer<Double>) {
        for i in 0..<frames { values[i] = value(atEngineFrame: start + Int64(i)) }
    }
}
