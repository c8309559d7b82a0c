import Foundation
import Recipe
import Testing

/// `eq`, `highpass` and `lowpass` inserts: canonical values and exact diagnostics.
@Suite struct EQInsertTests {
    @Test func parsesBandsToCanonicalValues() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
                inserts:
                  - eq:
                      - { type: peak, freq: 60 Hz, gain: +3 dB, q: 1.2 }
                      - { type: highshelf, freq: 8 kHz, gain: -2 dB }
                      - { type: lowshelf, freq: 100, gain: 2, slope: 0.5 }
                      - { type: highpass, freq: 30 Hz, slope: 24 }
                      - { freq: 1 kHz, gain: -1 dB }
                      - { type: notch, freq: 3 kHz, q: 8 }
                  - eq: { bands: [ { type: lowpass, freq: 12 kHz, q: 0.9 } ], bypass: true, id: kick_eq }
            """)
        let inserts = recipe.tracks[0].inserts
        #expect(inserts[0].bands == [
            ["type": .text("peak"), "freq": .number(60), "gain": .number(3), "q": .number(1.2)],
            ["type": .text("highshelf"), "freq": .number(8000), "gain": .number(-2)],
            ["type": .text("lowshelf"), "freq": .number(100), "gain": .number(2), "slope": .number(0.5)],
            ["type": .text("highpass"), "freq": .number(30), "slope": .number(24)],
            ["type": .text("peak"), "freq": .number(1000), "gain": .number(-1)],
            ["type": .text("notch"), "freq": .number(3000), "q": .number(8)],
        ])
        #expect(inserts[1].bands == [["type": .text("lowpass"), "freq": .number(12000), "q": .number(0.9)]])
        #expect(inserts[1].bypass && inserts[1].id == "kick_eq")
    }

    @Test func passShorthands() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
                inserts:
                  - highpass: 30 Hz
                  - highpass: { freq: 40 Hz, slope: 48 }
                  - lowpass: { freq: 15 kHz, q: 1.5 }
            """)
        let inserts = recipe.tracks[0].inserts
        #expect(inserts[0].parameters == ["freq": .number(30), "slope": .number(12)])
        #expect(inserts[1].parameters == ["freq": .number(40), "slope": .number(48)])
        #expect(inserts[2].parameters == ["freq": .number(15000), "slope": .number(12), "q": .number(1.5)])
    }

    static let bad: [DiagnosticCase] = [
        DiagnosticCase("peak without gain", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { type: peak, freq: 60 Hz } ] } ] }
            """, ["3:46: error: a peak band needs 'gain' in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("gain on a highpass band", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { type: highpass, freq: 30 Hz, gain: 3 dB } ] } ] }
            """, ["3:46: error: 'gain' does not apply to a highpass band (only to peak, lowshelf and highshelf) "
                  + "in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("pass slope not a multiple of 12", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { type: lowpass, freq: 5 kHz, slope: 18 } ] } ] }
            """, ["3:46: error: 'slope' of a lowpass must be 12, 24, 36 or 48 (dB/oct), found 18 "
                  + "in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("q on a steep pass band", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { type: highpass, freq: 30 Hz, slope: 24, q: 2 } ] } ] }
            """, ["3:46: error: 'q' applies only to a 12 dB/oct highpass; steeper slopes are Butterworth cascades "
                  + "with fixed Qs in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("shelf with q and slope", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { type: lowshelf, freq: 80 Hz, gain: 2 dB, q: 1, slope: 1 } ] } ] }
            """, ["3:46: error: a lowshelf band takes 'q' or 'slope', not both in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("shelf slope above 1", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { type: highshelf, freq: 8 kHz, gain: 2 dB, slope: 12 } ] } ] }
            """, ["3:46: error: 'slope' of a highshelf band is the shelf slope S, 0.1…1 (1 = steepest without "
                  + "overshoot), found 12 in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("slope on a peak", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { freq: 1 kHz, gain: 2 dB, slope: 1 } ] } ] }
            """, ["3:46: error: 'slope' does not apply to a peak band (only to shelves and highpass/lowpass) "
                  + "in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("band frequency required", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { type: notch, q: 4 } ] } ] }
            """, ["3:46: error: missing required parameter 'freq' in band 1 in 'eq' on 'kick'"]),
        DiagnosticCase("band frequency at Nyquist, unknown type, misspelt key", """
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
                inserts:
                  - eq:
                      - { type: peak, freq: 24 kHz, gain: 1 dB }
                      - { type: bell, freq: 1 kHz, gain: 1 dB }
                      - { type: peak, frq: 1 kHz, gain: 1 dB }
            """, [
                "7:33: error: 'freq' 24000 Hz is at or above the Nyquist frequency (24000 Hz at 48000 Hz)",
                "8:21: error: 'type' must be one of 'peak', 'lowshelf', 'highshelf', 'highpass', 'lowpass', "
                    + "'bandpass', 'notch', found 'bell'",
                "9:13: error: missing required parameter 'freq' in band 3 in 'eq' on 'kick'",
                "9:27: error: unknown key 'frq' in band 3 in 'eq' on 'kick' (did you mean 'freq'?)",
            ]),
        DiagnosticCase("gain and q out of range", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [ { freq: 1 kHz, gain: 40 dB, q: 0 } ] } ] }
            """, [
                "3:67: error: 'gain' is out of range: 40 dB is not within -30…30 dB",
                "3:77: error: 'q' is out of range: 0 is not within 0.1…40",
            ]),
        DiagnosticCase("an empty band list", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { eq: [] } ] }
            """, ["3:44: error: 'eq' needs at least one band"]),
        DiagnosticCase("highpass shorthand slope", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { highpass: { freq: 30 Hz, slope: 30 } } ] }
            """, ["3:72: error: 'slope' of a highpass must be 12, 24, 36 or 48 (dB/oct), found 30"]),
        DiagnosticCase("lowpass shorthand q with a steep slope", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { lowpass: { freq: 8 kHz, slope: 24, q: 2 } } ] }
            """, ["3:75: error: 'q' applies only to a 12 dB/oct lowpass; steeper slopes are Butterworth cascades "
                  + "with fixed Qs"]),
        DiagnosticCase("highpass without a frequency", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, inserts: [ { highpass: { slope: 24 } } ] }
            """, ["3:50: error: missing required parameter 'freq' in 'highpass' on 'kick'"]),
    ]

    @Test(arguments: bad)
    func badInsert(_ testCase: DiagnosticCase) {
        let folder = StemFolder()
        #expect(folder.diagnostics(testCase.yaml) == testCase.expected)
    }
}
