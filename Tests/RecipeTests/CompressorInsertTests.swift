import Foundation
import Recipe
import Testing

/// `compressor` inserts: canonical values (defaults filled in) and exact diagnostics.
@Suite struct CompressorInsertTests {
    @Test func parsesToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
              bass:
                stem: bass.wav
                inserts:
                  - compressor: { threshold: -20 dB, ratio: "3:1", knee: 4 dB, attack: 5 ms, release: 0.08,
                                  makeup: auto, detector: RMS, lookahead: 2 ms, mix: 60%, sidechain: kick,
                                  sidechain_highpass: 90 Hz }
                  - compressor
                  - compressor: { ratio: 100, makeup: +3 dB }
            """)
        let inserts = recipe.tracks[1].inserts
        #expect(inserts[0].parameters == [
            "threshold": .number(-20), "ratio": .number(3), "knee": .number(4), "attack": .number(0.005),
            "release": .number(0.08), "makeup": .text("auto"), "detector": .text("rms"), "lookahead": .number(0.002),
            "mix": .number(0.6), "sidechain_highpass": .number(90),
        ])
        #expect(inserts[0].sidechain?.value == "kick")
        #expect(inserts[1].parameters == [
            "threshold": .number(-18), "ratio": .number(4), "knee": .number(6), "attack": .number(0.010),
            "release": .number(0.100), "makeup": .number(0), "detector": .text("peak"), "lookahead": .number(0),
            "mix": .number(1), "sidechain_highpass": .number(0),
        ])
        #expect(inserts[1].sidechain == nil)
        #expect(inserts[2].number("ratio") == 100)
        #expect(inserts[2].number("makeup") == 3)
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("ratio below 1", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { ratio: 0.5 } } ] }
            """, ["3:59: error: 'ratio' must be at least 1 (1:1 is no compression), found '0.5'"]),
        DiagnosticCase("ratio not a ratio", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { ratio: "4:2" } } ] }
            """, ["3:59: error: 'ratio' must be a ratio such as '4' or '4:1', found '4:2'"]),
        DiagnosticCase("threshold above 0 dB", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { threshold: 3 dB } } ] }
            """, ["3:63: error: 'threshold' is out of range: 3 dB is not within -60…0 dB"]),
        DiagnosticCase("negative attack", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { attack: -5 ms } } ] }
            """, ["3:60: error: 'attack' must not be negative, found '-5 ms'"]),
        DiagnosticCase("lookahead too long", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { lookahead: 30 ms } } ] }
            """, ["3:63: error: 'lookahead' is out of range: 0.03 s is not within 0…0.02 s"]),
        DiagnosticCase("makeup word", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { makeup: automatic } } ] }
            """, ["3:60: error: 'makeup': 'automatic' is not a level such as '-3 dB'"]),
        DiagnosticCase("detector choice", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { detector: peek } } ] }
            """, ["3:62: error: 'detector' must be one of 'peak', 'rms', found 'peek' (did you mean 'peak'?)"]),
        DiagnosticCase("sidechain highpass at Nyquist", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { sidechain_highpass: 24 kHz } } ] }
            """, ["3:72: error: 'sidechain_highpass' 24000 Hz is at or above the Nyquist frequency (24000 Hz at 48000 Hz)"]),
        DiagnosticCase("sidechain names no strip", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { sidechain: kik } } ] }
              kick: { stem: kick.wav }
            """, ["3:63: error: sidechain 'kik' names no track or bus (did you mean 'kick'?)"]),
        DiagnosticCase("mix above 100%", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, inserts: [ { compressor: { mix: 150% } } ] }
            """, ["3:57: error: 'mix' must be between 0% and 100% (or 0…1), found '150%'"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        #expect(folder.diagnostics(testCase.yaml) == testCase.expected)
    }
}
