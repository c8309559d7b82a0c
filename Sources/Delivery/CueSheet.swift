/// A CUE sheet for a single-track CD image: one FILE, one TRACK starting at 00:00:00 (INDEX 01), with the
/// ISRC when the recipe has one. Times are mm:ss:ff with 75 frames per second (588 samples at 44.1 kHz).
public enum CueSheet {
    public static func text(fileName: String, title: String, performer: String?, isrc: String?,
                            version: String) -> String {
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "'") + "\"" }
        var lines = ["REM COMMENT \(quoted("Bounce \(version)"))"]
        if let performer { lines.append("PERFORMER \(quoted(performer))") }
        lines.append("TITLE \(quoted(title))")
        lines.append("FILE \(quoted(fileName)) WAVE")
        lines.append("  TRACK 01 AUDIO")
        lines.append("    TITLE \(quoted(title))")
        if let performer { lines.append("    PERFORMER \(quoted(performer))") }
        if let isrc { lines.append("    ISRC \(isrc.replacingOccurrences(of: "-", with: "").uppercased())") }
        lines.append("    INDEX 01 00:00:00")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Frames needed to pad `frames` to a whole number of CD sectors (588 samples each at 44.1 kHz).
    public static func sectorPadding(frames: Int) -> Int {
        let remainder = frames % 588
        return remainder == 0 ? 0 : 588 - remainder
    }
}
