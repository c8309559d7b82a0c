import DSP
import RenderGraph

/// Evaluates a plan envelope for a node's frames: engine frame f is output frame f − latency, which the playback
/// maps onto the timeline (inside a crossfade, the two segments' values are blended by their linear weights; past
/// the last segment the timeline runs on, so tails keep the final value).
final class AutomationReader: @unchecked Sendable {
    let envelope: Envelope
    let latency: Int
    /// The playback's segments (empty: the whole timeline, one to one). Held here so the per-sample path reads
    /// them without copying the playback.
    private let segments: [Playback.Segment]
    private var hint = 0, hintB = 0, segmentHint = 0

    init(_ planned: PlanEnvelope, playback: Playback?) {
        envelope = planned.envelope
        latency = planned.latency
        segments = playback?.segments ?? []
    }

    /// The value at one engine frame.
    func value(atEngineFrame frame: Int64) -> Double {
        let u = frame - Int64(latency)
        guard !segments.isEmpty else { return envelope.value(at: u, hint: &hint) }
        // Frames arrive in increasing order: start the search at the last segment found (segments are in output
        // order, and at most two overlap), so a long arrangement costs no more per sample than a short one.
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
            let segment = u < 0 ? segments[0] : segments[segments.count - 1]
            return envelope.value(at: segment.timeline(at: u), hint: &hint)
        }
        let segmentA = segments[a]
        let valueA = envelope.value(at: segmentA.timeline(at: u), hint: &hint)
        guard let b = second else { return valueA }
        let segmentB = segments[b]
        let valueB = envelope.value(at: segmentB.timeline(at: u), hint: &hintB)
        let wA = segmentA.weight(at: u), wB = segmentB.weight(at: u)
        return (valueA * wA + valueB * wB) / max(1e-12, wA + wB)
    }

    /// The value, when it is the same for all `frames` engine frames from `start` (one stretch of the timeline
    /// without ramps, outside crossfades); nil otherwise. Lets automated strips skip per-sample work where
    /// nothing moves, which is most of every song.
    func constantValue(start: Int64, frames: Int) -> Double? {
        let u0 = start - Int64(latency), u1 = u0 + Int64(frames)
        var t0 = u0
        if !segments.isEmpty {
            // The one segment that sounds over the whole range, if there is one (or the first/last, extended).
            var index = 0
            while index + 1 < segments.count, segments[index + 1].soundingStart <= u0 { index += 1 }
            let segment = segments[index]
            let alone = (index == 0 || segments[index - 1].soundingEnd <= u0)
                && (index + 1 == segments.count || segments[index + 1].soundingStart >= u1)
            let plain = u0 >= segment.outputStart + (segment.fadeIn - segment.fadeIn / 2) || segment.fadeIn == 0
                || u1 <= segment.soundingStart
            guard alone, plain else { return nil }
            t0 = segment.timeline(at: u0)
        }
        guard envelope.isConstant(from: t0, to: t0 + Int64(frames)) else { return nil }
        return envelope.value(at: t0, hint: &hint)
    }

    /// Values for `frames` engine frames from `start`; returns the value when it is constant over them (then only
    /// `values[0]` is written).
    @discardableResult
    func fill(start: Int64, frames: Int, into values: UnsafeMutablePointer<Double>) -> Double? {
        if let constant = constantValue(start: start, frames: frames) {
            values[0] = constant
            return constant
        }
        for i in 0..<frames { values[i] = value(atEngineFrame: start + Int64(i)) }
        return nil
    }
}
