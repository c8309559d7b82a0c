import Foundation
import Recipe
import Testing

/// `deesser` inserts: canonical values, defaults, exact diagnostics.
@Suite struct DeesserInsertTests {
    @Test func parsesToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              vox:
                stem: vox.wav
                inserts:
                  - deesser: { freq: 7 kHz, threshold: -28 dB, range: -8 dB }
                  - deesser
            """)
        let inserts = recipe.tracks[0].inserts
        #expect(inserts[0].parameters == ["freq": .number(7000), "threshold": .number(-28), "range": .number(-8)])
        #expect(inserts[1].parameters == ["freq": .number(6000), "threshold": .number(-30), "range": .number(-12)])
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("freq below 2 kHz", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { deesser: { freq: 500 Hz } } ] }
            """, ["3:55: error: 'freq' is out of range: 500 Hz is not within 2000…16000 Hz"]),
        DiagnosticCase("range above 0", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { deesser: { range: 3 dB } } ] }
            """, ["3:56: error: 'range' is out of range: 3 dB is not within -40…0 dB"]),
        DiagnosticCase("no sidechain key", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { deesser: { sidechain: kick } } ] }
              kick: { stem: kick.wav }
            """, ["3:49: error: unknown key 'sidechain' in 'deesser' on 'vox'"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        #expect(folder.diagnostics(testCase.yaml) == testCase.expected)
    }
}
