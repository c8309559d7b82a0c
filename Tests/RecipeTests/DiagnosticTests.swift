import Foundation
import Recipe
import Testing

/// One bad recipe and every diagnostic it must produce, in order, as `line:column: error: message`.
///
/// `$DIR` in an expected message stands for the temporary recipe folder (see `StemFolder`).
struct DiagnosticCase: Sendable, CustomTestStringConvertible {
    let name: String
    let yaml: String
    let expected: [String]

    init(_ name: String, _ yaml: String, _ expected: [String]) {
        self.name = name
        self.yaml = yaml
        self.expected = expected
    }

    var testDescription: String { name }
}

/// Parses each case in a fresh folder of stems and compares the full list of diagnostics.
private func check(_ testCase: DiagnosticCase, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let folder = StemFolder()
    let expected = testCase.expected.map { $0.replacingOccurrences(of: "$DIR", with: folder.path) }
    let actual = folder.diagnostics(testCase.yaml)
    #expect(actual == expected, sourceLocation: sourceLocation)
    #expect(!actual.isEmpty, "a bad recipe must not parse", sourceLocation: sourceLocation)
}

@Suite("Recipe diagnostics")
struct DiagnosticTests {
    // MARK: YAML syntax

    static let syntax: [DiagnosticCase] = [
        DiagnosticCase("unclosed flow sequence", """
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
                sends: [plate, verb
            """, [
                // libyaml reports the end of the stream, a line past the end of the text; the '[' at 5:12 is
                // where the mistake is, but only the context text ("while parsing a flow sequence") survives.
                "6:1: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)",
            ]),
        DiagnosticCase("unclosed flow mapping", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gain: -3 dB
              snare: { stem: snare.wav }
            """, [
                "4:8: error: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping)",
            ]),
        DiagnosticCase("bad indentation", """
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
               gain: -3 dB
            """, [
                "5:4: error: YAML syntax error: did not find expected key (while parsing a block mapping)",
            ]),
        DiagnosticCase("colon inside a plain value", """
            bounce: 1
            title: Night: Drive
            tracks:
              kick: { stem: kick.wav }
            """, [
                "2:13: error: YAML syntax error: mapping values are not allowed in this context",
            ]),
        DiagnosticCase("tab indentation", "bounce: 1\ntracks:\n\tkick: { stem: kick.wav }\n", [
            "3:1: error: YAML syntax error: found character that cannot start any token (while scanning for the next token)",
        ]),
        DiagnosticCase("unclosed quote", """
            bounce: 1
            title: "Night Drive
            tracks:
              kick: { stem: kick.wav }
            """, [
                "4:27: error: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar)",
            ]),
    ]

    @Test("YAML syntax errors are reported at the problem", arguments: syntax)
    func syntaxErrors(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Wrong types

    static let types: [DiagnosticCase] = [
        DiagnosticCase("mapping for a single value", """
            bounce: 1
            title: { name: Night Drive }
            tracks:
              kick: { stem: kick.wav }
            """, [
                "2:8: error: 'title' must be a single value, found a mapping",
            ]),
        DiagnosticCase("list for gain", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gain: [-3, -6] }
            """, [
                "3:33: error: 'gain' must be a single value, found a list",
            ]),
        DiagnosticCase("mapping for stem", """
            bounce: 1
            tracks:
              kick:
                stem: { file: kick.wav }
            """, [
                "4:11: error: 'stem' must be a single value, found a mapping",
            ]),
        DiagnosticCase("list for tracks", """
            bounce: 1
            tracks: [kick.wav, snare.wav]
            """, [
                "2:9: error: 'tracks' must be a mapping of keys to values, found a list",
            ]),
        DiagnosticCase("single value for a track", """
            bounce: 1
            tracks:
              kick: kick.wav
            """, [
                "3:9: error: 'tracks.kick' must be a mapping of keys to values, found a single value",
            ]),
        DiagnosticCase("single value for session", """
            bounce: 1
            session: 48000
            tracks:
              kick: { stem: kick.wav }
            """, [
                "2:10: error: 'session' must be a mapping of keys to values, found a single value",
            ]),
        DiagnosticCase("list for sends", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, sends: [plate] }
            buses:
              plate:
            """, [
                "3:34: error: 'sends' must be a mapping of keys to values, found a list",
            ]),
        DiagnosticCase("mute that is not a boolean", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, mute: maybe }
            """, [
                "3:33: error: 'mute' must be true or false, found 'maybe'",
            ]),
        DiagnosticCase("pre that is not a boolean", """
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
                sends:
                  plate: { level: -10 dB, pre: sometimes }
            buses:
              plate:
            """, [
                "6:36: error: 'pre' must be true or false, found 'sometimes'",
            ]),
        DiagnosticCase("sample rate that is not a whole number", """
            bounce: 1
            session:
              sample_rate: 44.1 kHz
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:16: error: 'sample_rate' must be a whole number, found '44.1 kHz'",
            ]),
        DiagnosticCase("list for output", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
            output: [a.wav, b.wav]
            """, [
                "4:9: error: 'output' must be a single value, found a list",
            ]),
        DiagnosticCase("empty title", """
            bounce: 1
            title: ""
            tracks:
              kick: { stem: kick.wav }
            """, [
                "2:8: error: 'title' is empty",
            ]),
        DiagnosticCase("list at the top level", """
            - bounce: 1
            - tracks: {}
            """, [
                "1:1: error: 'recipe' must be a mapping of keys to values, found a list",
            ]),
        DiagnosticCase("empty recipe", "", [
            "1:1: error: the recipe is empty: it needs at least 'bounce: 1' and 'tracks'",
        ]),
        DiagnosticCase("recipe with only a comment", "# to do\n", [
            "1:1: error: the recipe is empty: it needs at least 'bounce: 1' and 'tracks'",
        ]),
    ]

    @Test("Values of the wrong type are reported at the value", arguments: types)
    func wrongTypes(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Unknown keys

    static let unknownKeys: [DiagnosticCase] = [
        DiagnosticCase("misspelt top-level key", """
            bounce: 1
            tracsk:
              kick: { stem: kick.wav }
            """, [
                "1:1: error: missing required key 'tracks' at the top level",
                "2:1: error: unknown key 'tracsk' at the top level (did you mean 'tracks'?)",
            ]),
        DiagnosticCase("misspelt track key", """
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
                gian: -3 dB
            """, [
                "5:5: error: unknown key 'gian' in track 'kick' (did you mean 'gain'?)",
            ]),
        DiagnosticCase("misspelt bus key", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, bus: drums }
            buses:
              drums:
                gian: -2 dB
            """, [
                "6:5: error: unknown key 'gian' in bus 'drums' (did you mean 'gain'?)",
            ]),
        DiagnosticCase("misspelt session key", """
            bounce: 1
            session:
              smaple_rate: 44100
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:3: error: unknown key 'smaple_rate' in 'session' (did you mean 'sample_rate'?)",
            ]),
        DiagnosticCase("misspelt send key", """
            bounce: 1
            tracks:
              kick:
                stem: kick.wav
                sends:
                  plate: { levle: -10 dB, pre: true }
            buses:
              plate:
            """, [
                "6:16: error: unknown key 'levle' in send to 'plate' (did you mean 'level'?)",
            ]),
        DiagnosticCase("misspelt master key", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
            master:
              gian: -1 dB
            """, [
                "5:3: error: unknown key 'gian' in 'master' (did you mean 'gain'?)",
            ]),
        DiagnosticCase("unknown key with nothing close", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, colour: red }
            """, [
                "3:27: error: unknown key 'colour' in track 'kick'",
            ]),
        DiagnosticCase("misspelt key close to a feature not supported yet", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, insert: [] }
            delivery: {}
            """, [
                "3:27: error: unknown key 'insert' in track 'kick' (did you mean 'inserts'?)",
                "4:1: error: unknown key 'delivery' at the top level (did you mean 'deliver'?)",
            ]),
        DiagnosticCase("misspelt resampler", """
            bounce: 1
            session:
              resampler: soxx
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:14: error: 'resampler' must be 'soxr' or 'libsamplerate', found 'soxx' (did you mean 'soxr'?)",
            ]),
    ]

    @Test("Unknown keys are reported with a suggestion", arguments: unknownKeys)
    func unknownKey(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Missing required keys

    static let missingKeys: [DiagnosticCase] = [
        DiagnosticCase("track without stem", """
            bounce: 1
            tracks:
              kick:
                gain: -3 dB
            """, [
                "4:5: error: missing required key 'stem' in track 'kick'",
            ]),
        DiagnosticCase("flow track without stem", """
            bounce: 1
            tracks:
              kick: { gain: -3 dB }
            """, [
                "3:9: error: missing required key 'stem' in track 'kick'",
            ]),
        DiagnosticCase("no format version", """
            title: Night Drive
            tracks:
              kick: { stem: kick.wav }
            """, [
                "1:1: error: missing required key 'bounce' at the top level (the format version: 'bounce: 1')",
            ]),
        DiagnosticCase("no tracks", """
            bounce: 1
            title: Night Drive
            """, [
                "1:1: error: missing required key 'tracks' at the top level",
            ]),
        DiagnosticCase("no tracks and no version", """
            title: Night Drive
            """, [
                "1:1: error: missing required key 'bounce' at the top level (the format version: 'bounce: 1')",
                "1:1: error: missing required key 'tracks' at the top level",
            ]),
        DiagnosticCase("empty tracks", """
            bounce: 1
            tracks: {}
            """, [
                "2:9: error: 'tracks' is empty: a recipe needs at least one track",
            ]),
    ]

    @Test("Missing required keys are reported", arguments: missingKeys)
    func missingKey(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Values with bad units or syntax

    static let badValues: [DiagnosticCase] = [
        DiagnosticCase("gain with an unknown unit", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gain: -3 dBB }
            """, [
                "3:33: error: gain: '-3 dBB' is not a level: use dB, e.g. '-3 dB'",
            ]),
        DiagnosticCase("gain that is not a number", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gain: loud }
            """, [
                "3:33: error: gain: 'loud' is not a level such as '-3 dB'",
            ]),
        DiagnosticCase("pan with an unknown side", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, pan: X30 }
            """, [
                "3:32: error: pan: 'X30' is not a pan position such as -0.3 or 'L30'",
            ]),
        DiagnosticCase("pan with a unit", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, pan: 0.5 dB }
            """, [
                "3:32: error: pan: '0.5 dB' is not a pan position: use -1…+1, or 'L30' / 'R15'",
            ]),
        DiagnosticCase("pan side without a percentage", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, pan: Left }
            """, [
                "3:32: error: pan: 'Left' is not a pan position: use L0…L100, R0…R100, or −1…+1",
            ]),
        DiagnosticCase("clock time with 75 seconds", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: "1:75" }
            """, [
                "3:35: error: offset: '1:75' is not a clock time: use m:ss.mmm, e.g. '1:43.250'",
            ]),
        DiagnosticCase("offset in an unknown unit", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: 3 bars }
            """, [
                "3:35: error: offset: '3 bars' is not a position: use seconds ('12.5 s'), a clock time ('1:43.250'), "
                    + "a bar ('bar 30' or 'bar 30.3'), samples ('96000 smp') or a section ('verse', 'verse.end')",
            ]),
        DiagnosticCase("bar zero", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: bar 0 }
            """, [
                "3:35: error: offset: 'bar 0': bars and beats count from 1",
            ]),
        DiagnosticCase("beat beyond the meter", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: bar 2.5 }
            """, [
                "3:35: error: offset: beat 5 does not exist in a 4/4 bar (bar 2)",
            ]),
        DiagnosticCase("beat beyond a 3/4 meter", """
            bounce: 1
            session: { meter: 3/4 }
            tracks:
              kick: { stem: kick.wav, offset: "bar 7.4" }
            """, [
                "4:35: error: offset: beat 4 does not exist in a 3/4 bar (bar 7)",
            ]),
        DiagnosticCase("sample position that is not whole", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: 12.5k smp }
            """, [
                "3:35: error: offset: '12.5k smp' is not a sample position: use a whole number, e.g. '96000 smp'",
            ]),
        DiagnosticCase("send level that is not a level", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, sends: { plate: loud } }
            buses:
              plate:
            """, [
                "3:43: error: sends.plate: 'loud' is not a level such as '-3 dB'",
            ]),
        DiagnosticCase("tempo that is not a number", """
            bounce: 1
            session:
              tempo: fast
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:10: error: 'tempo' must be quarter notes per minute (BPM) between 10 and 1000, found 'fast'",
            ]),
        DiagnosticCase("unknown pan law", """
            bounce: 1
            session:
              pan_law: -5 dB
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:12: error: 'pan_law' must be one of '-3 dB', '-4.5 dB', '-6 dB', '0 dB', found '-5 dB'",
            ]),
        DiagnosticCase("malformed ISRC", """
            bounce: 1
            isrc: GB-XXX-26-0001
            tracks:
              kick: { stem: kick.wav }
            """, [
                "2:7: error: 'isrc' must look like CC-XXX-YY-NNNNN (country, registrant, year, designation), "
                    + "found 'GB-XXX-26-0001'",
            ]),
    ]

    @Test("Values with bad units are reported at the value", arguments: badValues)
    func badValue(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Out-of-range values

    static let outOfRange: [DiagnosticCase] = [
        DiagnosticCase("pan beyond hard right", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, pan: 1.5 }
            """, [
                "3:32: error: pan: '1.5' is out of range: pan runs from -1 (left) to +1 (right)",
            ]),
        DiagnosticCase("pan percentage above 100", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, pan: R150 }
            """, [
                "3:32: error: pan: 'R150' is out of range: L and R take a percent from 0 to 100",
            ]),
        DiagnosticCase("gain above +24 dB", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gain: +30 dB }
            """, [
                "3:33: error: 'gain' is out of range: 30.0 dB is above the +24 dB maximum",
            ]),
        DiagnosticCase("send level above +24 dB", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, sends: { plate: +30 dB } }
            buses:
              plate:
            """, [
                "3:43: error: 'sends.plate' is out of range: 30.0 dB is above the +24 dB maximum",
            ]),
        DiagnosticCase("master gain above +24 dB", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
            master:
              gain: 25
            """, [
                "5:9: error: 'gain' is out of range: 25.0 dB is above the +24 dB maximum",
            ]),
        DiagnosticCase("sample rate of 100 Hz", """
            bounce: 1
            session:
              sample_rate: 100
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:16: error: 'sample_rate' is out of range: 100 is not within 8000…768000",
            ]),
        DiagnosticCase("two-digit year", """
            bounce: 1
            year: 99
            tracks:
              kick: { stem: kick.wav }
            """, [
                "2:7: error: 'year' is out of range: 99 is not within 1000…9999",
            ]),
        DiagnosticCase("meter with a note value that is not a power of two", """
            bounce: 1
            session:
              meter: 4/5
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:10: error: 'meter' must look like 4/4 or 6/8, found '4/5'",
            ]),
        DiagnosticCase("offset of infinite seconds", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: inf }
            """, [
                "3:35: error: offset: 'inf' is not a position: use seconds ('12.5 s'), a clock time ('1:43.250'), "
                    + "a bar ('bar 30' or 'bar 30.3'), samples ('96000 smp') or a section ('verse', 'verse.end')",
            ]),
        DiagnosticCase("offset of 1e300 seconds", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: 1e300 }
            """, [
                "3:35: error: offset: 1e+300 s is out of range: an offset must be within 24 hours of the start of "
                    + "the timeline",
            ]),
        DiagnosticCase("offset more than a day before the start", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: "-24:00:01" }
            """, [
                "3:35: error: offset: -86401.0 s is out of range: an offset must be within 24 hours of the start of "
                    + "the timeline",
            ]),
        DiagnosticCase("offset of too many samples", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: 5000000000 smp }
            """, [
                "3:35: error: offset: 5000000000 smp is out of range: an offset must be within 24 hours of the start "
                    + "of the timeline",
            ]),
        DiagnosticCase("offset at a bar that overflows", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, offset: bar 9223372036854775807 }
            """, [
                "3:35: error: offset: bar 9223372036854775807 is out of range: an offset must be within 24 hours of "
                    + "the start of the timeline",
            ]),
        DiagnosticCase("tempo below 10 BPM", """
            bounce: 1
            session:
              tempo: 5
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:10: error: 'tempo' must be quarter notes per minute (BPM) between 10 and 1000, found '5'",
            ]),
    ]

    @Test("Out-of-range values are reported at the value", arguments: outOfRange)
    func outOfRangeValue(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Stem files

    static let stems: [DiagnosticCase] = [
        DiagnosticCase("missing stem with a similar file", """
            bounce: 1
            tracks:
              kick: { stem: kik.wav }
            """, [
                "3:17: error: stem file 'kik.wav' not found (looked for $DIR/kik.wav) (did you mean 'kick.wav'?)",
            ]),
        DiagnosticCase("missing stem with nothing similar", """
            bounce: 1
            tracks:
              kick: { stem: zzz.wav }
            """, [
                "3:17: error: stem file 'zzz.wav' not found (looked for $DIR/zzz.wav)",
            ]),
        DiagnosticCase("stem that is a folder", """
            bounce: 1
            tracks:
              kick: { stem: loops }
            """, [
                "3:17: error: stem 'loops' is a folder, not an audio file",
            ]),
        DiagnosticCase("missing stems folder", """
            bounce: 1
            session:
              stems: multitracks
            tracks:
              kick: { stem: kick.wav }
            """, [
                "3:10: error: 'stems': folder 'multitracks' does not exist (looked in $DIR/multitracks)",
            ]),
        DiagnosticCase("missing stem in the stems folder", """
            bounce: 1
            session:
              stems: stems
            tracks:
              hats: { stem: hat.wav }
            """, [
                "5:17: error: stem file 'hat.wav' not found (looked for $DIR/stems/hat.wav) (did you mean 'hats.wav'?)",
            ]),
    ]

    @Test("Missing stem files are reported at the stem", arguments: stems)
    func stemFile(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Routing

    static let routing: [DiagnosticCase] = [
        DiagnosticCase("unknown bus", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, bus: drum }
            buses:
              drums:
            """, [
                "3:32: error: 'kick' is routed to unknown bus 'drum' (did you mean 'drums'?)",
            ]),
        DiagnosticCase("bus routed to an unknown bus", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, bus: drums }
            buses:
              drums: { bus: glue }
            """, [
                "5:17: error: 'drums' is routed to unknown bus 'glue'",
            ]),
        DiagnosticCase("send to an unknown bus", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, sends: { plat: -10 dB } }
            buses:
              plate:
            """, [
                "3:36: error: 'kick' sends to unknown bus 'plat' (did you mean 'plate'?)",
            ]),
        DiagnosticCase("send to a track", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, sends: { snare: -10 dB } }
              snare: { stem: snare.wav }
            """, [
                "3:36: error: 'kick' sends to 'snare', which is a track: sends feed buses",
            ]),
        DiagnosticCase("send to master", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, sends: { master: -10 dB } }
            """, [
                "3:36: error: 'kick' sends to master: sends feed buses; use 'bus: master' to route to master",
            ]),
        DiagnosticCase("routing to a track", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, bus: snare }
              snare: { stem: snare.wav }
            """, [
                "3:32: error: 'kick' is routed to 'snare', which is a track: only buses and master receive audio",
            ]),
        DiagnosticCase("two-bus cycle", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, bus: drums }
            buses:
              drums: { bus: glue }
              glue: { bus: drums }
            """, [
                "6:16: error: routing cycle: drums → glue → drums; a bus cannot feed itself",
            ]),
        DiagnosticCase("three-bus cycle through a send", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, bus: drums }
            buses:
              drums: { bus: glue }
              glue: { sends: { verb: -6 dB } }
              verb: { bus: drums }
            """, [
                "7:16: error: routing cycle: drums → glue → verb → drums; a bus cannot feed itself",
            ]),
        DiagnosticCase("cycle entered from a bus outside it", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav, bus: drums }
            buses:
              drums: { bus: glue }
              glue: { bus: verb }
              verb: { bus: glue }
            """, [
                "7:16: error: routing cycle: glue → verb → glue; a bus cannot feed itself",
            ]),
        DiagnosticCase("self-send", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, sends: { plate: -12 dB } }
            buses:
              plate: { sends: { plate: -6 dB } }
            """, [
                "5:21: error: routing cycle: plate → plate; a bus cannot feed itself",
            ]),
        DiagnosticCase("bus routed to itself", """
            bounce: 1
            tracks:
              vox: { stem: vox.wav, bus: plate }
            buses:
              plate: { bus: plate }
            """, [
                "5:17: error: routing cycle: plate → plate; a bus cannot feed itself",
            ]),
    ]

    @Test("Routing mistakes are reported where the route is written", arguments: routing)
    func routingError(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Names

    static let names: [DiagnosticCase] = [
        DiagnosticCase("duplicate track names", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
              kick: { stem: snare.wav }
            """, [
                // Yams reports the first occurrence, not the repeated one on line 4.
                "3:3: error: duplicate key 'kick': each name may appear once in a mapping",
            ]),
        DiagnosticCase("duplicate bus names", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
            buses:
              plate: { gain: -4 dB }
              room:
              plate: { gain: -6 dB }
            """, [
                "5:3: error: duplicate key 'plate': each name may appear once in a mapping",
            ]),
        DiagnosticCase("track and bus with the same name", """
            bounce: 1
            tracks:
              drums: { stem: kick.wav }
            buses:
              drums:
            """, [
                "5:3: error: the name 'drums' is already used at line 3; tracks and buses need unique names",
            ]),
        DiagnosticCase("track named master", """
            bounce: 1
            tracks:
              master: { stem: kick.wav }
            """, [
                "3:3: error: 'master' is reserved for the master bus; choose another name for this track",
            ]),
        DiagnosticCase("bus named master", """
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
            buses:
              master: { gain: -1 dB }
            """, [
                "5:3: error: 'master' is reserved for the master bus; choose another name for this bus",
            ]),
    ]

    @Test("Duplicate and reserved names are reported at the name", arguments: names)
    func nameError(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Features not supported yet


    // MARK: Format version

    static let version: [DiagnosticCase] = [
        DiagnosticCase("version 2", """
            bounce: 2
            tracks:
              kick: { stem: kick.wav }
            """, [
                "1:9: error: recipe format version 2 is not supported: this Bounce reads version 1",
            ]),
        DiagnosticCase("version 0", """
            bounce: 0
            tracks:
              kick: { stem: kick.wav }
            """, [
                "1:9: error: recipe format version 0 is not supported: this Bounce reads version 1",
            ]),
        DiagnosticCase("version that is not a number", """
            bounce: one
            tracks:
              kick: { stem: kick.wav }
            """, [
                "1:9: error: 'bounce' must be a whole number, found 'one'",
            ]),
    ]

    @Test("Only format version 1 is read", arguments: version)
    func versionError(_ testCase: DiagnosticCase) { check(testCase) }

    // MARK: Everything at once

    @Test("A recipe with many mistakes reports all of them, in order")
    func manyErrors() {
        check(DiagnosticCase("many errors", """
            bounce: 2
            titel: Night Drive
            year: 26
            session:
              sample_rate: 100
              meter: 4/5
            tracks:
              kick:
                stem: kik.wav
                gain: -3 dBB
                bus: drum
              snare:
                gian: -2 dB
                pan: 1.5
              vox:
                stem: vox.wav
                sends: { plate: -12 dB, kick: -6 dB }
                inserts: [ gian ]
            buses:
              drums: { bus: glue }
              glue: { bus: drums }
              plate:
            sections:
              intro: { at: 1, bars: 8 }
            """, [
                // In file order (line, then column).
                "1:9: error: recipe format version 2 is not supported: this Bounce reads version 1",
                "2:1: error: unknown key 'titel' at the top level (did you mean 'title'?)",
                "3:7: error: 'year' is out of range: 26 is not within 1000…9999",
                "5:16: error: 'sample_rate' is out of range: 100 is not within 8000…768000",
                "6:10: error: 'meter' must look like 4/4 or 6/8, found '4/5'",
                "9:11: error: stem file 'kik.wav' not found (looked for $DIR/kik.wav) (did you mean 'kick.wav'?)",
                "10:11: error: gain: '-3 dBB' is not a level: use dB, e.g. '-3 dB'",
                "11:10: error: 'kick' is routed to unknown bus 'drum' (did you mean 'drums'?)",
                "13:5: error: unknown key 'gian' in track 'snare' (did you mean 'gain'?)",
                "13:5: error: missing required key 'stem' in track 'snare'",
                "14:10: error: pan: '1.5' is out of range: pan runs from -1 (left) to +1 (right)",
                "17:29: error: 'vox' sends to 'kick', which is a track: sends feed buses",
                "18:16: error: unknown processor 'gian' in 'vox' (did you mean 'gain'?)",
                "21:16: error: routing cycle: drums → glue → drums; a bus cannot feed itself",
            ]))
    }

    // MARK: Diagnostics as printed

    @Test("Diagnostics print as file:line:column: error: message")
    func printedForm() throws {
        let folder = StemFolder()
        let error = try #require(throws: RecipeError.self) {
            try folder.parse("bounce: 1\ntracks:\n  kick: { stem: kick.wav, gian: 1 }\n")
        }
        #expect(error.diagnostics.count == 1)
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.file == "song.yaml")
        #expect(diagnostic.location?.line == 3)
        #expect(diagnostic.location?.column == 27)
        #expect(diagnostic.description == "song.yaml:3:27: error: unknown key 'gian' in track 'kick' (did you mean 'gain'?)")
        #expect(error.description == diagnostic.description)
    }

    @Test("Every diagnostic names the recipe file")
    func everyDiagnosticNamesTheFile() throws {
        let folder = StemFolder()
        let error = try #require(throws: RecipeError.self) {
            try folder.parse("bounce: 3\ntracks:\n  kick: { stem: nope.wav, bus: nowhere }\nsections: {}\nwhat: 1\n")
        }
        #expect(error.diagnostics.count == 4)
        for diagnostic in error.diagnostics {
            #expect(diagnostic.location?.file == "song.yaml")
        }
        #expect(error.description == error.diagnostics.map(\.description).joined(separator: "\n"))
    }

    @Test("A recipe file that does not exist is reported without a location")
    func missingRecipeFile() throws {
        let folder = StemFolder()
        let path = folder.url.appendingPathComponent("nowhere.yaml").path
        let error = try #require(throws: RecipeError.self) { try RecipeParser.load(path: path) }
        #expect(error.diagnostics.map(\.compact) == ["error: recipe '\(path)' does not exist"])
    }

    @Test("A recipe file that is not UTF-8 is reported without a location")
    func nonUTF8RecipeFile() throws {
        let folder = StemFolder()
        let url = folder.url.appendingPathComponent("latin1.yaml")
        try Data([0x74, 0x69, 0x74, 0x6C, 0x65, 0x3A, 0x20, 0xE9, 0xFF, 0x0A]).write(to: url)
        let error = try #require(throws: RecipeError.self) { try RecipeParser.load(path: url.path) }
        #expect(error.diagnostics.map(\.compact) == ["error: recipe '\(url.path)' cannot be read as UTF-8 text"])
    }
}
