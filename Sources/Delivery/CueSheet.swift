/// A CUE sheet for a single-track CD image: one FILE, one TRACK starting at 00:00:00 (INDEX 01), with the
/// ISRC when the recipe has one. Times are mm:ss:ff with 75 frames per second (588 samples at 44.1 kHz).
public enum CueSheet {
    public static func text(fileName: String, title: String, performer: String?, isrc: String?,
                            version: String) -> String {
        var lines = header(fileName: fileName, title: title, performer: performer, version: version)
        lines.append("  TRACK 01 AUDIO")
        lines.append("    TITLE \(quoted(title))")
        if let performer { lines.append("    PERFORMER \(quoted(performer))") }
        if let isrc { lines.append("    ISRC \(isrc.replacingOccurrences(of: "-", with: "").uppercased())") }
        lines.append("    INDEX 01 00:00:00")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A CUE sheet with one track per entry (a vinyl side's sections), each starting at its time in seconds.
    public static func text(fileName: String, title: String, performer: String?, tracks: [(title: String, seconds: Double)],
                            version: String) -> String {
        var lines = header(fileName: fileName, title: title, performer: performer, version: version)
        for (index, track) in tracks.enumerated() {
            lines.append(String(format: "  TRACK %02d AUDIO", index + 1))
            lines.append("    TITLE \(quoted(track.title))")
            // mm:ss:ff with 75 frames per second, rounded down so an index never falls after its section starts.
            let frames = Int((track.seconds * 75).rounded(.down))
            lines.append(String(format: "    INDEX 01 %02d:%02d:%02d", frames / 75 / 60, frames / 75 % 60, frames % 75))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The disc-level lines: who made it, the performer, the title and the one audio file.
    private static func header(fileName: String, title: String, performer: String?, version: String) -> [String] {
        var lines = ["REM COMMENT \(quoted("Bounce \(version)"))"]
        if let performer { lines.append("PERFORMER \(quoted(performer))") }
        lines.append("TITLE \(quoted(title))")
        lines.append("FILE \(quoted(fileName)) WAVE")
        return lines
    }

    /// CUE strings are double-quoted; a double quote inside becomes a single one.
    private static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "'") + "\"" }

    /// Frames needed to pad `frames` to a whole number of CD sectors (588 samples each at 44.1 kHz).
    public static func sectorPadding(frames: Int) -> Int {
        let remainder = frames % 588
        return remainder == 0 ? 0 : 588 - remainder
    }
}

/// Side-length limits of vinyl formats (cutting and pressing plants' figures): past them the level and low end
/// must drop, or the side does not fit at all.
public enum VinylSide {
    public static let limits: [(format: String, optimal: Double, maximum: Double)] = [
        ("12-inch 33⅓", 19 * 60 + 30, 23 * 60),
        ("12-inch 45", 12 * 60, 14 * 60 + 30),
    ]

    /// Warnings for a side of this length.
    public static func warnings(seconds: Double) -> [String] {
        func clock(_ s: Double) -> String { String(format: "%d:%02d", Int(s) / 60, Int(s) % 60) }
        var result: [String] = []
        for limit in limits {
            if seconds > limit.maximum {
                result.append("side lasts \(clock(seconds)): longer than a \(limit.format) side can hold (\(clock(limit.maximum)))")
            } else if seconds > limit.optimal {
                result.append("side lasts \(clock(seconds)): past the \(clock(limit.optimal)) a \(limit.format) side holds "
                              + "at full level (at most \(clock(limit.maximum)))")
            }
        }
        return result
    }
}
