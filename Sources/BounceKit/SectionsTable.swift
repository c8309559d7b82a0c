import Foundation
import Recipe
import RenderGraph

/// `bounce sections`: the resolved timeline (each section's start and end as bar.beat, clock time and samples)
/// and each arrangement's play list with its exact length.
public enum SectionsTable {
    /// `m:ss.mmm` (or `h:mm:ss.mmm`), rounded to the millisecond.
    public static func clock(_ frames: Int64, sampleRate: Int) -> String {
        let negative = frames < 0
        let ms = (Double(frames.magnitude) / Double(sampleRate) * 1000).rounded()
        let total = Int64(ms)
        let text = total >= 3_600_000
            ? String(format: "%d:%02d:%02d.%03d", total / 3_600_000, total / 60000 % 60, total / 1000 % 60, total % 1000)
            : String(format: "%d:%02d.%03d", total / 60000, total / 1000 % 60, total % 1000)
        return negative ? "-" + text : text
    }

    /// `bar.beat`, with the fraction of a beat when the position is not on one (within half a sample).
    public static func barBeat(_ frames: Int64, clock: SessionClock) -> String {
        let (bar, beat) = clock.barBeat(atSample: frames)
        let whole = beat.rounded()
        if clock.sampleIndex(bar: bar, beat: whole) == frames || abs(beat - whole) < 1e-9 {
            return "\(bar).\(Int(whole))"
        }
        return String(format: "%d.%.3f", bar, beat)
    }

    public static func text(_ recipe: Recipe) -> String {
        let clock = recipe.session.clock
        let rate = recipe.session.sampleRate
        var lines: [String] = []
        let tempo = clock.tempo.map { point in
            let at = point.beat == 1 ? "bar \(point.bar)" : "bar \(point.bar).\(point.beat)"
            return "\(format(point.bpm)) BPM from \(at)\(point.ramp ? " (ramp)" : "")"
        }
        let meters = clock.meters.map { "\($0.meter) from bar \($0.bar)" }
        lines.append("tempo: " + tempo.joined(separator: ", ") + "; meter: " + meters.joined(separator: ", ")
                     + "; \(rate) Hz")
        guard !recipe.sections.isEmpty else {
            lines.append("no sections")
            return lines.joined(separator: "\n") + "\n"
        }
        var rows = [["section", "start", "", "", "end", "", "", "length", ""]]
        rows.append(["", "bar.beat", "clock", "samples", "bar.beat", "clock", "samples", "clock", "samples"])
        var previousEnd: Int64 = 0
        for section in recipe.sections {
            if section.start > previousEnd {
                rows.append(["(gap)", barBeat(previousEnd, clock: clock), Self.clock(previousEnd, sampleRate: rate),
                             String(previousEnd), barBeat(section.start, clock: clock),
                             Self.clock(section.start, sampleRate: rate), String(section.start),
                             Self.clock(section.start - previousEnd, sampleRate: rate), String(section.start - previousEnd)])
            }
            rows.append([section.name.value, barBeat(section.start, clock: clock),
                         Self.clock(section.start, sampleRate: rate), String(section.start),
                         barBeat(section.end, clock: clock), Self.clock(section.end, sampleRate: rate), String(section.end),
                         Self.clock(section.length, sampleRate: rate), String(section.length)])
            previousEnd = section.end
        }
        lines += table(rows)
        for arrangement in recipe.arrangements {
            let selection = RenderSelection.named(arrangement.name.value, mix: "main", in: recipe)
            let playback = RenderGraphCompiler.playbackFor(selection.play ?? [], recipe: recipe,
                                                           endFade: selection.endFade)
            let edits = playback.segments.count - 1
            lines.append("")
            lines.append("arrangement \(arrangement.name.value): "
                         + arrangement.play.map(\.section.value).joined(separator: " → "))
            lines.append("  \(Self.clock(playback.length, sampleRate: rate)) (\(playback.length) smp), "
                         + "\(edits) edit\(edits == 1 ? "" : "s"), crossfade \(format(arrangement.crossfade * 1000)) ms, "
                         + "tail \(arrangement.tail ?? recipe.session.tail)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }
}
