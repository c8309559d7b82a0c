import Foundation
import Recipe
import Testing

/// `width`, `mono_below` and `saturate` inserts: canonical values and exact diagnostics.
@Suite struct ToneInsertTests {
    @Test func parsesToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              bass:
                stem: bass.wav
                inserts:
                  - saturate: { drive: +12 dB, mix: 40%, type: tube }
                  - saturate
                  - saturate: 9 dB
                  - mono_below: 120 Hz
                  - width: 1.3
                  - width: { width: 0 }
            """)
        let inserts = recipe.tracks[0].inserts
        #expect(inserts[0].parameters == ["drive": .number(12), "mix": .number(0.4), "type": .text("tube")])
        #expect(inserts[1].parameters == ["drive": .number(6), "mix": .number(1), "type": .text("tape")])
        #expect(inserts[2].number("drive") == 9)
        #expect(inserts[3].parameters == ["freq": .number(120)])
        #expect(inserts[4].parameters == ["width": .number(1.3)])
        #expect(inserts[5].parameters == ["width": .number(0)])
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("width above 2", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { width: 2.5 } ] }
            """, ["3:45: error: 'width' is out of range: 2.5 is not within 0…2"]),
        DiagnosticCase("width not a number", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { width: wide } ] }
            """, ["3:45: error: 'width' must be a number, found 'wide'"]),
        DiagnosticCase("mono_below needs a frequency", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { mono_below: { } } ] }
            """, ["3:50: error: missing required parameter 'freq' in 'mono_below' on 'vox'"]),
        DiagnosticCase("mono_below out of range", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { mono_below: 5 kHz } ] }
            """, ["3:50: error: 'freq' is out of range: 5000 Hz is not within 20…1000 Hz"]),
        DiagnosticCase("saturate drive out of range", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { saturate: { drive: 40 dB } } ] }
            """, ["3:57: error: 'drive' is out of range: 40 dB is not within 0…36 dB"]),
        DiagnosticCase("saturate negative drive", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { saturate: -3 dB } ] }
            """, ["3:48: error: 'drive' is out of range: -3 dB is not within 0…36 dB"]),
        DiagnosticCase("saturate unknown type", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { saturate: { type: tub } } ] }
            """, ["3:56: error: 'type' must be one of 'tape', 'tube', 'hard', found 'tub' (did you mean 'tube'?)"]),
        DiagnosticCase("saturate mix above 100%", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { saturate: { mix: 120% } } ] }
            """, ["3:55: error: 'mix' must be between 0% and 100% (or 0…1), found '120%'"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        #expect(folder.diagnostics(testCase.yaml) == testCase.expected)
    }
}
