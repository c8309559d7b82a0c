import Foundation

/// How the output's frames map onto the session timeline when an arrangement plays sections out of order.
///
/// Segments follow each other on the output without gaps. At an edit between two segments, an equal-power
/// crossfade of `fadeIn` frames (the incoming segment's) is centred on the edit: the outgoing segment plays on for
/// the second half, the incoming one starts the first half early. The last segment fades out over the same length,
/// ending at its end, so an arrangement lasts exactly the sum of its sections (before any tail). The whole timeline (`full`) needs no playback at all.
public struct Playback: Sendable, Equatable, Codable {
    public struct Segment: Sendable, Equatable, Codable {
        /// Output frame where the segment's own material starts (the edit point).
        public var outputStart: Int64
        /// Timeline frame that plays at `outputStart`.
        public var timelineStart: Int64
        public var length: Int64
        /// Crossfade frames centred on the segment's start (0: a hard start, as the first segment has).
        public var fadeIn: Int64
        /// Crossfade frames centred on the segment's end.
        public var fadeOut: Int64
        /// The sections the segment plays, for printing.
        public var label: String
        /// The last segment's fade-out ends at its end (the arrangement then lasts exactly its sections).
        public var fadeOutInside = false

        public init(outputStart: Int64, timelineStart: Int64, length: Int64, fadeIn: Int64, fadeOut: Int64, label: String) {
            self.outputStart = outputStart
            self.timelineStart = timelineStart
            self.length = length
            self.fadeIn = fadeIn
            self.fadeOut = fadeOut
            self.label = label
        }

        public var outputEnd: Int64 { outputStart + length }
        /// Output frames over which the segment sounds, crossfades included.
        public var soundingStart: Int64 { outputStart - fadeIn / 2 }
        public var soundingEnd: Int64 { fadeOutInside ? outputEnd : outputEnd + (fadeOut - fadeOut / 2) }
        /// Where the fade-out starts.
        public var fadeOutStart: Int64 { fadeOutInside ? outputEnd - fadeOut : outputEnd - fadeOut / 2 }
        /// Where the fade-in ends: from here to `fadeOutStart` the segment plays at unity gain.
        public var fadeInEnd: Int64 { fadeIn == 0 ? outputStart : outputStart + (fadeIn - fadeIn / 2) }

        /// The timeline frame playing at output frame `t`.
        public func timeline(at t: Int64) -> Int64 { timelineStart + (t - outputStart) }

        /// Equal-power gain of this segment at output frame `t` (0 outside its sounding range).
        public func gain(at t: Int64) -> Double {
            guard t >= soundingStart, t < soundingEnd else { return 0 }
            if fadeIn > 0, t < outputStart + (fadeIn - fadeIn / 2) {
                let u = (Double(t - soundingStart) + 0.5) / Double(fadeIn)
                return (Double.pi / 2 * u).sin
            }
            if fadeOut > 0, t >= fadeOutStart {
                let u = (Double(t - fadeOutStart) + 0.5) / Double(fadeOut)
                return (Double.pi / 2 * u).cos
            }
            return 1
        }

        /// The weight (0…1, linear) of this segment when blending parameter values in a crossfade.
        public func weight(at t: Int64) -> Double {
            guard t >= soundingStart, t < soundingEnd else { return 0 }
            if fadeIn > 0, t < outputStart + (fadeIn - fadeIn / 2) {
                return (Double(t - soundingStart) + 0.5) / Double(fadeIn)
            }
            if fadeOut > 0, t >= fadeOutStart {
                return 1 - (Double(t - fadeOutStart) + 0.5) / Double(fadeOut)
            }
            return 1
        }
    }

    public var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }

    /// Output frames of the arrangement itself (tails come after).
    public var length: Int64 { segments.last.map(\.outputEnd) ?? 0 }
}

extension Double {
    var sin: Double { _sin(self) }
    var cos: Double { _cos(self) }
}

@inline(__always) private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
