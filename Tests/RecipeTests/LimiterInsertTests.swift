import Foundation
import Recipe
import Testing

/// `limiter` inserts: canonical values (dBTP ceilings), defaults, exact diagnostics.
@Suite struct LimiterInsertTests {
    @Test func parsesToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              vox: { stem: vox.wav }
            master:
              inserts:
                - limiter: { ceiling: -1.5 dBTP, release: 80 ms, lookahead: 3 ms }
                - limiter: -0.3 dBTP
                - limiter: { ceiling: -2 dB }
                - limiter
            """)
        let inserts = recipe.master.inserts
        #expect(inserts[0].parameters == ["ceiling": .number(-1.5), "release": .number(0.080), "lookahead": .number(0.003)])
        #expect(inserts[1].number("ceiling") == -0.3)
        #expect(inserts[2].number("ceiling") == -2)
        #expect(inserts[3].parameters == ["ceiling": .number(-1), "release": .number(0.050), "lookahead": .number(0.0015)])
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("ceiling above 0 dBTP", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { limiter: { ceiling: +1 dBTP } } ] }
            """, ["3:58: error: 'ceiling' is out of range: 1 dBTP is not within -20…0 dBTP"]),
        DiagnosticCase("ceiling in another unit", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { limiter: -1 LUFS } ] }
            """, ["3:47: error: 'ceiling': '-1 LUFS' is not a level: use dB, e.g. '-3 dB'"]),
        DiagnosticCase("lookahead below 0.5 ms", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { limiter: { lookahead: 0.1 ms } } ] }
            """, ["3:60: error: 'lookahead' is out of range: 0.0001 s is not within 0.0005…0.02 s"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        #expect(folder.diagnostics(testCase.yaml) == testCase.expected)
    }
}
