import Delivery
import Testing

@Suite("CUE sheet")
struct CueSheetTests {
    @Test("Padding to whole CD sectors of 588 samples")
    func padding() {
        #expect(CueSheet.sectorPadding(frames: 0) == 0)
        #expect(CueSheet.sectorPadding(frames: 588) == 0)
        #expect(CueSheet.sectorPadding(frames: 589) == 587)
        #expect(CueSheet.sectorPadding(frames: 44100 * 30 + 1) == 587)
        for frames in [1, 587, 1000, 123_457] { #expect((frames + CueSheet.sectorPadding(frames: frames)) % 588 == 0) }
    }

    @Test("One track at 00:00:00, ISRC without hyphens, CRLF lines")
    func text() {
        let cue = CueSheet.text(fileName: "Song - cd.wav", title: "Song \"One\"", performer: "Band", isrc: "GB-XXX-26-00001",
                                version: "1.0")
        #expect(cue == "REM COMMENT \"Bounce 1.0\"\r\nPERFORMER \"Band\"\r\nTITLE \"Song 'One'\"\r\n"
                + "FILE \"Song - cd.wav\" WAVE\r\n  TRACK 01 AUDIO\r\n    TITLE \"Song 'One'\"\r\n    PERFORMER \"Band\"\r\n"
                + "    ISRC GBXXX2600001\r\n    INDEX 01 00:00:00\r\n")
    }
}
