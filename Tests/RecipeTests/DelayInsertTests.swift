import Foundation
import Recipe
import Testing

/// `delay` inserts: canonical values (note values at the session tempo) and exact diagnostics.
@Suite struct DelayInsertTests {
    @Test func parsesToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            session: { tempo: 120 }
            tracks:
              vox:
                stem: vox.wav
                inserts:
                  - delay: { time: 1/8., feedback: 45%, mix: 0.25, lowpass: 5 kHz, pingpong: true }
                  - delay: 1/4
                  - delay: { time: 1/8t }
                  - delay: { time: 375 ms, feedback: 0.99 }
            """)
        let inserts = recipe.tracks[0].inserts
        #expect(inserts[0].parameters == ["time": .number(0.375), "feedback": .number(0.45), "mix": .number(0.25),
                                          "lowpass": .number(5000), "pingpong": .flag(true)])
        // Defaults: feedback 30 %, mix 30 %, no lowpass, no ping-pong.
        #expect(inserts[1].parameters == ["time": .number(0.5), "feedback": .number(0.3), "mix": .number(0.3),
                                          "lowpass": .text("off"), "pingpong": .flag(false)])
        #expect(abs(inserts[2].number("time") - 0.5 / 3) < 1e-15)
        #expect(inserts[3].number("time") == 0.375 && inserts[3].number("feedback") == 0.99)
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("time is required", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: { feedback: 50% } } ] }
            """, ["3:45: error: missing required parameter 'time' in 'delay' on 'vox'"]),
        DiagnosticCase("feedback of 100% would never decay", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: { time: 1/8, feedback: 100% } } ] }
            """, ["3:68: error: 'feedback' must be at most 99% (each echo quieter than the one before), found '100%'"]),
        DiagnosticCase("feedback above 1", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: { time: 1/8, feedback: 1.2 } } ] }
            """, ["3:68: error: 'feedback' must be between 0% and 100% (or 0…1), found '1.2'"]),
        DiagnosticCase("time out of range", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: 5 s } ] }
            """, ["3:45: error: 'time' is out of range: 5 s is not within 0.001…4 s"]),
        DiagnosticCase("negative time", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: { time: -20 ms } } ] }
            """, ["3:53: error: 'time' must not be negative, found '-20 ms'"]),
        DiagnosticCase("lowpass at Nyquist", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: { time: 1/8, lowpass: 24 kHz } } ] }
            """, ["3:67: error: 'lowpass' 24000 Hz is at or above the Nyquist frequency (24000 Hz at 48000 Hz)"]),
        DiagnosticCase("pingpong is a flag", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: { time: 1/8, pingpong: maybe } } ] }
            """, ["3:68: error: 'pingpong' must be true or false, found 'maybe'"]),
        DiagnosticCase("misspelt key", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { delay: { time: 1/8, lowpas: 3 kHz } } ] }
            """, ["3:58: error: unknown key 'lowpas' in 'delay' on 'vox' (did you mean 'lowpass'?)"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        let expected = testCase.expected.map { $0.replacingOccurrences(of: "$DIR", with: folder.path) }
        #expect(folder.diagnostics(testCase.yaml) == expected)
    }
}
