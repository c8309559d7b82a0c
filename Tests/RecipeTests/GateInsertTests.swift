import Foundation
import Recipe
import Testing

/// `gate` inserts: canonical values (defaults filled in) and exact diagnostics.
@Suite struct GateInsertTests {
    @Test func parsesToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
              snare:
                stem: snare.wav
                inserts:
                  - gate: { threshold: -35 dB, range: -inf dB, attack: 0.5 ms, hold: 20 ms, release: 150 ms, sidechain: kick }
                  - gate
            """)
        let inserts = recipe.tracks[1].inserts
        #expect(inserts[0].parameters == [
            "threshold": .number(-35), "range": .number(-.infinity), "attack": .number(0.0005),
            "hold": .number(0.020), "release": .number(0.150),
        ])
        #expect(inserts[0].sidechain?.value == "kick")
        #expect(inserts[1].parameters == [
            "threshold": .number(-40), "range": .number(-40), "attack": .number(0.001), "hold": .number(0.010),
            "release": .number(0.100),
        ])
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("range above 0 dB", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { gate: { range: 6 dB } } ] }
            """, ["3:53: error: 'range' is out of range: 6 dB is not within -inf…0 dB"]),
        DiagnosticCase("threshold not a level", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { gate: { threshold: loud } } ] }
            """, ["3:57: error: 'threshold': 'loud' is not a level such as '-3 dB'"]),
        DiagnosticCase("negative hold", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { gate: { hold: -1 ms } } ] }
            """, ["3:52: error: 'hold' must not be negative, found '-1 ms'"]),
        DiagnosticCase("unknown key", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { gate: { ratio: 2 } } ] }
            """, ["3:46: error: unknown key 'ratio' in 'gate' on 'vox'"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        #expect(folder.diagnostics(testCase.yaml) == testCase.expected)
    }
}
