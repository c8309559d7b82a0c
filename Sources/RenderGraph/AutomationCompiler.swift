import DSP
import Recipe

extension RenderGraphCompiler {
    /// Lays the selected sections end to end on the output. Consecutive entries that are also consecutive on the
    /// timeline play on without an edit (no crossfade), so they are bit-identical to the full render there.
    public static func playbackFor(_ entries: [RenderSelection.Entry], recipe: Recipe, endFade: Double) -> Playback {
        let rate = Double(recipe.session.sampleRate)
        var segments: [Playback.Segment] = []
        var output: Int64 = 0
        for entry in entries {
            guard let section = recipe.section(named: entry.section) else { continue }
            if var last = segments.last, last.timelineStart + last.length == section.start {
                last.length += section.length
                last.label += ", \(entry.section)"
                segments[segments.count - 1] = last
            } else {
                let crossfade = segments.isEmpty ? 0 : Int64((entry.crossfade * rate).rounded())
                if !segments.isEmpty { segments[segments.count - 1].fadeOut = crossfade }
                segments.append(Playback.Segment(outputStart: output, timelineStart: section.start, length: section.length,
                                                 fadeIn: crossfade, fadeOut: 0, label: entry.section))
            }
            output += section.length
        }
        if !segments.isEmpty {
            // Never longer than the last segment itself, nor than the fade-in it already has leaves room for.
            let last = segments[segments.count - 1]
            let room = max(0, last.length - (last.fadeIn - last.fadeIn / 2))
            segments[segments.count - 1].fadeOut = min(room, Int64((endFade * rate).rounded()))
            segments[segments.count - 1].fadeOutInside = true
        }
        return Playback(segments: segments)
    }

    static func envelopeCurve(_ curve: AutomationCurve) -> Envelope.Curve {
        switch curve {
        case .linear: return .linear
        case .exp: return .exp
        case .s: return .s
        }
    }

    /// A lane's points as an envelope on the timeline. `base` fills the per-section form's gaps; a step (ramp 0)
    /// takes `step` frames. Levels of −∞ dB ramp as −240 dB (inaudible, and finite so ramps stay defined).
    static func envelope(_ lane: Automation, base: Double, decibels: Bool, step: Int64) -> Envelope {
        func clamp(_ value: Double) -> Double { decibels ? max(-240, value) : value }
        let points = lane.points.map { point -> AutomationPoint in
            var p = point
            p.value = clamp(point.value.isNaN ? base : point.value)
            return p
        }
        guard let first = points.first else { return Envelope(initial: clamp(base)) }
        var current = lane.baseValue != nil ? clamp(base) : first.value
        var envelope = Envelope(initial: current)
        var previousEnd: Int64 = first.frame
        for (index, point) in points.enumerated() {
            let start: Int64, end: Int64
            if let ramp = point.ramp {
                start = max(point.frame, previousEnd)
                end = start + (ramp == 0 ? step : ramp)
            } else {
                if index == 0 { current = point.value; envelope.initial = current; previousEnd = point.frame; continue }
                start = previousEnd
                end = max(point.frame, start)
            }
            if end > start, point.value != current {
                envelope.ramps.append(Envelope.Ramp(start: start, end: end, from: current, to: point.value,
                                                    curve: envelopeCurve(point.curve)))
            } else if point.value != current {
                // A zero-length move (two points at the same frame): an instant step.
                envelope.ramps.append(Envelope.Ramp(start: start, end: start + 1, from: point.value, to: point.value,
                                                    curve: .linear))
            }
            current = point.value
            previousEnd = max(previousEnd, end)
        }
        return envelope
    }

    /// 1 outside the muted sections, 0 inside; each change is an s-curve of `step` frames from the section edge.
    static func muteEnvelope(_ sections: [Section], step: Int64) -> Envelope {
        var points: [AutomationPoint] = []
        for section in sections.sorted(by: { $0.start < $1.start }) {
            if let last = points.last, last.frame == section.start {
                points.removeLast()  // muted sections that touch stay muted across the boundary
            } else {
                points.append(AutomationPoint(frame: section.start, value: 0, ramp: 0, curve: .s))
            }
            points.append(AutomationPoint(frame: section.end, value: 1, ramp: 0, curve: .s))
        }
        let lane = Automation(target: Located(.gain, at: SourceLocation(file: "", line: 0, column: 0)), points: points,
                              baseValue: 1)
        return envelope(lane, base: 1, decibels: false, step: step)
    }

    /// The automated parameters of one insert.
    static func parameterAutomation(for insert: Insert, lanes: [Automation], latency: Int, step: Int64)
        -> [ParameterAutomation] {
        guard let id = insert.id else { return [] }
        var result: [ParameterAutomation] = []
        for lane in lanes {
            guard case .parameter(let laneInsert, let key) = lane.target.value, laneInsert == id else { continue }
            let parts = key.split(separator: ".").map(String.init)
            let parameter: ProcessorParameter
            var base = 0.0
            if parts.count == 2, let band = Int(parts[0]) {
                let values = insert.bands[band - 1]
                if case .number(let value)? = values[parts[1]] { base = value }
                switch parts[1] {
                case "gain": parameter = .bandGain(band - 1)
                case "freq": parameter = .bandFrequency(band - 1)
                default: parameter = .bandQ(band - 1)
                }
            } else {
                if case .number(let value)? = insert.parameters[key] { base = value }
                switch key {
                case "gain": parameter = .gain
                case "threshold": parameter = .threshold
                case "ratio": parameter = .ratio
                case "makeup": parameter = .makeup
                case "mix": parameter = .mix
                case "feedback": parameter = .feedback
                case "drive": parameter = .drive
                default: parameter = .width
                }
            }
            let decibels = [ProcessorParameter.gain, .threshold, .makeup, .drive].contains(parameter)
            result.append(ParameterAutomation(parameter: parameter, envelope: PlanEnvelope(
                envelope: envelope(lane, base: base, decibels: decibels, step: step), latency: latency)))
        }
        return result
    }
}
