import DSP
import Foundation

extension RenderPlan {
    /// Graphviz DOT: stems as boxes, strips as ellipses, the file outputs as notes; edges labelled with their gain.
    public var dot: String {
        var lines = ["digraph \"\(escape(title))\" {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
        // What this plan plays: the arrangement's segments on the output, and the mix.
        var heading = "arrangement \(arrangement), mix \(mix), \(contentLength) smp + tail ≤ \(length - contentLength) smp"
        for segment in playback?.segments ?? [] {
            heading += "\\n\(segment.outputStart): \(escape(segment.label)) (timeline \(segment.timelineStart), "
                + "\(segment.length) smp, crossfade in \(segment.fadeIn))"
        }
        lines.append("  label=\"\(heading)\"; labelloc=t;")
        for node in nodes {
            lines.append("  n\(node.id) [\(attributes(of: node))];")
        }
        for output in outputs {
            lines.append("  out_\(output.deliverable) [shape=note, label=\"\(output.deliverable)\"];")
        }
        for node in nodes {
            for edge in node.inputs {
                let style = edge.label.hasPrefix("send") ? ", style=dashed" : ""
                lines.append("  n\(edge.from) -> n\(node.id) [label=\"\(edgeLabel(edge))\"\(style)];")
            }
        }
        for output in outputs { lines.append("  n\(output.node) -> out_\(output.deliverable);") }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Pretty-printed JSON with sorted keys, stable across runs.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func attributes(of node: PlanNode) -> String {
        switch node.kind {
        case .stem(let stem):
            let file = (stem.path as NSString).lastPathComponent
            var detail = "\(stem.channels == 1 ? "mono" : "stereo") \(stem.fileSampleRate) Hz"
            if stem.resampler != .none { detail += " → \(sampleRate) Hz (\(stem.resampler.rawValue))" }
            if stem.offset != 0 { detail += "\\noffset \(stem.offset) smp" }
            return "shape=box, label=\"\(escape(file))\\n\(detail)\""
        case .strip(let strip):
            var detail = "\(strip.role.rawValue), gain \(decibels(strip.gain))"
            if strip.role != .master { detail += ", pan L \(decibels(strip.panLeft)) R \(decibels(strip.panRight))" }
            if strip.mute { detail += ", muted" }
            for insert in strip.inserts {
                var line = insert.id.map { "\(insert.processor) (\($0))" } ?? insert.processor
                if insert.latency != 0 { line += ", latency \(insert.latency) smp" }
                if insert.tail != 0 { line += ", tail \(insert.tail) smp" }
                if let key = insert.sidechain {
                    line += ", key \(escape(nodes[key.node].name))" + (key.delay > 0 ? " +\(key.delay) smp" : "")
                }
                detail += "\\n▸ " + line
            }
            var automated: [String] = []
            if strip.gainAutomation != nil { automated.append("gain") }
            if strip.muteAutomation != nil { automated.append("section mutes") }
            if strip.panAutomation != nil { automated.append("pan") }
            for insert in strip.inserts { automated += insert.automation.map { "\(insert.id ?? insert.processor).\($0.parameter)" } }
            if !automated.isEmpty { detail += "\\nautomation: " + automated.joined(separator: ", ") }
            if node.latency != 0 { detail += "\\nlatency \(node.latency) smp" }
            return "shape=ellipse, label=\"\(escape(node.name))\\n\(detail)\""
        }
    }

    private func edgeLabel(_ edge: PlanEdge) -> String {
        var label = edge.gain == 1 ? edge.label : "\(edge.label) \(decibels(edge.gain))"
        if edge.delay > 0 { label += ", delay \(edge.delay) smp" }
        if edge.automation != nil { label += ", automated" }
        return label
    }

    private func decibels(_ gain: Double) -> String {
        let db = Decibels.fromLinear(gain)
        return db == -.infinity ? "-inf dB" : String(format: "%+.2f dB", db)
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
