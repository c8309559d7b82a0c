import Foundation
import Recipe
import Testing

/// `reverb` inserts, algorithmic and convolution (`ir:`): canonical values and exact diagnostics, including the
/// cross-check that algorithmic parameters do not apply with an IR.
@Suite struct ReverbInsertTests {
    @Test func parsesToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              vox: { stem: vox.wav, sends: { plate: -10 dB, hall: -12 dB } }
            buses:
              plate:
                inserts:
                  - reverb
                  - reverb: { decay: 2.5 s, predelay: 30 ms, size: 80%, damping: 0.2, width: 0.5, mix: 25% }
              hall:
                inserts: [ { reverb: { ir: snare.wav, mix: 30%, predelay: 10 ms } } ]
            """)
        let plate = recipe.buses[0].inserts
        // Defaults: decay 1.8 s, predelay 20 ms, size 50 %, damping 40 %, width 100 %, mix 100 % (a send bus).
        #expect(plate[0].parameters == ["decay": .number(1.8), "predelay": .number(0.02), "size": .number(0.5),
                                        "damping": .number(0.4), "width": .number(1), "mix": .number(1),
                                        "ir": .text("")])
        #expect(plate[1].parameters == ["decay": .number(2.5), "predelay": .number(0.03), "size": .number(0.8),
                                        "damping": .number(0.2), "width": .number(0.5), "mix": .number(0.25),
                                        "ir": .text("")])
        let hall = recipe.buses[1].inserts[0]
        #expect(hall.text("ir") == folder.path + "/snare.wav")
        #expect(hall.number("mix") == 0.3 && hall.number("predelay") == 0.01)
        #expect(hall.locations["predelay"] != nil)
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("algorithmic parameters with an IR", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, sends: { hall: -12 dB } }
            buses:
              hall:
                inserts:
                  - reverb: { ir: snare.wav, decay: 2 s, size: 50%, mix: 40%, damping: 0.3, width: 1 }
            """, [
                "7:34: error: 'decay' does not apply to a convolution reverb (ir: snare.wav)",
                "7:46: error: 'size' does not apply to a convolution reverb (ir: snare.wav)",
                "7:67: error: 'damping' does not apply to a convolution reverb (ir: snare.wav)",
                "7:81: error: 'width' does not apply to a convolution reverb (ir: snare.wav)",
            ]),
        DiagnosticCase("IR file missing", """
            bounce: 1
            master:
              inserts: [ { reverb: { ir: irs/hall.wav } } ]
            tracks:
              vox: { stem: vox.wav }
            """, ["3:30: error: 'ir': file 'irs/hall.wav' not found or not readable (looked for $DIR/irs/hall.wav)"]),
        DiagnosticCase("decay out of range", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { reverb: { decay: 30 s } } ] }
            """, ["3:55: error: 'decay' is out of range: 30 s is not within 0.1…20 s"]),
        DiagnosticCase("predelay out of range", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { reverb: { predelay: 600 ms } } ] }
            """, ["3:58: error: 'predelay' is out of range: 0.6 s is not within 0…0.5 s"]),
        DiagnosticCase("size above 100%", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { reverb: { size: 150% } } ] }
            """, ["3:54: error: 'size' must be between 0% and 100% (or 0…1), found '150%'"]),
        DiagnosticCase("reverb takes a mapping", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { reverb: 2 s } ] }
            """, ["3:46: error: 'reverb' takes a mapping of parameters, e.g. '- reverb: { … }'"]),
        DiagnosticCase("misspelt key", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { reverb: { decya: 2 s } } ] }
            """, ["3:48: error: unknown key 'decya' in 'reverb' on 'vox' (did you mean 'decay'?)"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        let expected = testCase.expected.map { $0.replacingOccurrences(of: "$DIR", with: folder.path) }
        #expect(folder.diagnostics(testCase.yaml) == expected)
    }
}
