import Delivery
import Testing

/// Side-length warnings against the cutting limits of the delivery reference (12-inch 33⅓: 19:30 at full level,
/// 23:00 at most; 12-inch 45: 12:00 / 14:30).
@Suite struct VinylSideTests {
    static let cases: [(Double, Int, String)] = [
        (660, 0, ""),
        (780, 1, "past the 12:00 a 12-inch 45 side holds at full level (at most 14:30)"),
        (960, 1, "longer than a 12-inch 45 side can hold (14:30)"),
        (1260, 2, "past the 19:30 a 12-inch 33⅓ side holds at full level (at most 23:00)"),
        (1440, 2, "longer than a 12-inch 33⅓ side can hold (23:00)"),
    ]

    @Test(arguments: cases)
    func warnings(_ seconds: Double, _ count: Int, _ expected: String) {
        let warnings = VinylSide.warnings(seconds: seconds)
        #expect(warnings.count == count)
        if !expected.isEmpty { #expect(warnings.contains { $0.contains(expected) }, "\(warnings)") }
    }

    @Test func perSectionCueSheetPlacesEachSectionOnTheSide() {
        let text = CueSheet.text(fileName: "Song - A.wav", title: "Song (side A)", performer: "Band",
                                 tracks: [("intro", 0), ("verse", 16.0), ("chorus", 61.0 + 2.0 / 75 + 0.001)],
                                 version: "test")
        let lines = text.split(separator: "\r\n").map(String.init)
        #expect(lines.contains("FILE \"Song - A.wav\" WAVE"))
        #expect(lines.filter { $0.hasPrefix("    INDEX 01 ") } == ["    INDEX 01 00:00:00", "    INDEX 01 00:16:00",
                                                                  "    INDEX 01 01:01:02"])
        #expect(text.hasSuffix("\r\n"))
    }
}
