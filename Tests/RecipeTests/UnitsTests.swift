import Recipe
import Testing

@Suite("Units")
struct UnitsTests {
    // MARK: Levels

    @Test("Levels in dB", arguments: [
        ("-3 dB", -3.0), ("+1.5 dB", 1.5), ("-inf dB", -Double.infinity), ("\u{2212}6 dB", -6),
        ("4", 4), ("-3dB", -3), ("0 DB", 0), ("  -12 dB  ", -12), ("-inf", -Double.infinity),
        ("\u{2212}inf dB", -Double.infinity), ("-0.5 db", -0.5), ("1e1 dB", 10),
    ])
    func decibels(_ text: String, _ expected: Double) throws {
        #expect(try Units.decibels(text) == expected)
    }

    @Test("Levels that are not levels", arguments: [
        ("-3 dBB", "'-3 dBB' is not a level: use dB, e.g. '-3 dB'"),
        ("-3 Hz", "'-3 Hz' is not a level: use dB, e.g. '-3 dB'"),
        ("-14 LUFS", "'-14 LUFS' is not a level: use dB, e.g. '-3 dB'"),
        ("loud", "'loud' is not a level such as '-3 dB'"),
        ("", "'' is not a level such as '-3 dB'"),
        ("--3 dB", "'--3 dB' is not a level such as '-3 dB'"),
        ("nan", "'nan' is not a level such as '-3 dB'"),
        ("1e999 dB", "'1e999 dB' is too large"),
    ])
    func badDecibels(_ text: String, _ message: String) {
        #expect(throws: ValueError(message)) { try Units.decibels(text) }
    }

    // MARK: Frequencies

    @Test("Frequencies in Hz", arguments: [
        ("80 Hz", 80.0), ("8 kHz", 8000), ("8khz", 8000), ("440", 440), ("1.5 KHz", 1500), ("20hz", 20),
        ("12.5 kHz", 12500),
    ])
    func hertz(_ text: String, _ expected: Double) throws {
        #expect(try Units.hertz(text) == expected)
    }

    @Test("Frequencies that are not frequencies", arguments: [
        ("8 kHzz", "'8 kHzz' is not a frequency: use Hz or kHz, e.g. '80 Hz'"),
        ("8 MHz", "'8 MHz' is not a frequency: use Hz or kHz, e.g. '80 Hz'"),
        ("-3 dB", "'-3 dB' is not a frequency: use Hz or kHz, e.g. '80 Hz'"),
        ("treble", "'treble' is not a frequency such as '8 kHz'"),
        ("inf Hz", "'inf Hz' is not a frequency such as '8 kHz'"),
    ])
    func badHertz(_ text: String, _ message: String) {
        #expect(throws: ValueError(message)) { try Units.hertz(text) }
    }

    // MARK: Durations

    @Test("Durations in seconds", arguments: [
        ("5 ms", 0.005), ("1.8 s", 1.8), ("2", 2), ("250ms", 0.25), ("3 sec", 3), ("\u{2212}0.5 s", -0.5),
        ("20 MS", 0.02),
    ])
    func seconds(_ text: String, _ expected: Double) throws {
        #expect(try Units.seconds(text) == expected)
    }

    @Test("Durations that are not durations", arguments: [
        ("5 min", "'5 min' is not a duration: use ms or s, e.g. '20 ms'"),
        ("5 Hz", "'5 Hz' is not a duration: use ms or s, e.g. '20 ms'"),
        ("soon", "'soon' is not a duration such as '5 ms'"),
        ("inf s", "'inf s' is not a duration such as '5 ms'"),
        ("-inf ms", "'-inf ms' is not a duration such as '5 ms'"),
    ])
    func badSeconds(_ text: String, _ message: String) {
        #expect(throws: ValueError(message)) { try Units.seconds(text) }
    }

    // MARK: Pan

    @Test("Pan positions", arguments: [
        ("L30", -0.3), ("R15", 0.15), ("C", 0), ("-1", -1), ("1", 1), ("+0.5", 0.5), ("l30", -0.3),
        ("centre", 0), ("Center", 0), ("L100", -1), ("R100", 1), ("R0", 0), ("\u{2212}0.25", -0.25),
        ("L12.5", -0.125), ("0", 0), (" R50 ", 0.5),
    ])
    func pan(_ text: String, _ expected: Double) throws {
        #expect(try Units.pan(text) == expected)
    }

    @Test("Pan positions out of range or malformed", arguments: [
        ("1.5", "'1.5' is out of range: pan runs from -1 (left) to +1 (right)"),
        ("-1.01", "'-1.01' is out of range: pan runs from -1 (left) to +1 (right)"),
        ("-inf", "'-inf' is out of range: pan runs from -1 (left) to +1 (right)"),
        ("L101", "'L101' is out of range: L and R take a percent from 0 to 100"),
        ("R-5", "'R-5' is out of range: L and R take a percent from 0 to 100"),
        ("X30", "'X30' is not a pan position such as -0.3 or 'L30'"),
        ("Left", "'Left' is not a pan position: use L0…L100, R0…R100, or −1…+1"),
        ("L", "'L' is not a pan position: use L0…L100, R0…R100, or −1…+1"),
        ("Rinf", "'Rinf' is not a pan position: use L0…L100, R0…R100, or −1…+1"),
        ("0.5 dB", "'0.5 dB' is not a pan position: use -1…+1, or 'L30' / 'R15'"),
    ])
    func badPan(_ text: String, _ message: String) {
        #expect(throws: ValueError(message)) { try Units.pan(text) }
    }

    // MARK: Timeline positions

    @Test("Positions where a bare number is seconds", arguments: [
        ("12.5", TimePosition.seconds(12.5)),
        ("12.5 s", .seconds(12.5)),
        ("500 ms", .seconds(0.5)),
        ("2", .seconds(2)),
        ("\u{2212}2", .seconds(-2)),
        ("1:43.250", .seconds(103.25)),
        ("1:02:03.5", .seconds(3723.5)),
        ("0:00", .seconds(0)),
        ("10:00", .seconds(600)),
        ("-0:01.5", .seconds(-1.5)),
        ("96000 smp", .samples(96000)),
        ("96000smp", .samples(96000)),
        ("-480 smp", .samples(-480)),
        ("bar 30", .bar(30, beat: 1)),
        ("bar 30.3", .bar(30, beat: 3)),
        ("Bar 2", .bar(2, beat: 1)),
        (" bar 1.1 ", .bar(1, beat: 1)),
    ])
    func positionInSeconds(_ text: String, _ expected: TimePosition) throws {
        #expect(try Units.position(text, bare: .seconds) == expected)
    }

    @Test("Positions where a bare number is a bar", arguments: [
        ("30", TimePosition.bar(30, beat: 1)),
        ("30.3", .bar(30, beat: 3)),
        ("1", .bar(1, beat: 1)),
        ("bar 9", .bar(9, beat: 1)),
        ("1:43.250", .seconds(103.25)),
        ("5 s", .seconds(5)),
        ("96000 smp", .samples(96000)),
    ])
    func positionInBars(_ text: String, _ expected: TimePosition) throws {
        #expect(try Units.position(text, bare: .bars) == expected)
    }

    static let notAPosition = "is not a position: use seconds ('12.5 s'), a clock time ('1:43.250'), "
        + "a bar ('bar 30' or 'bar 30.3'), samples ('96000 smp') or a section ('verse', 'verse.end')"

    @Test("Positions that are not positions", arguments: [
        ("1:75", TimePosition.BareUnit.seconds, "'1:75' is not a clock time: use m:ss.mmm, e.g. '1:43.250'"),
        ("1::3", .seconds, "'1::3' is not a clock time: use m:ss.mmm, e.g. '1:43.250'"),
        ("a:30", .seconds, "'a:30' is not a clock time: use m:ss.mmm, e.g. '1:43.250'"),
        ("1:2:3:4", .seconds, "'1:2:3:4' is not a clock time: use m:ss.mmm, e.g. '1:43.250'"),
        ("1:-3", .seconds, "'1:-3' is not a clock time: use m:ss.mmm, e.g. '1:43.250'"),
        ("\u{BD}:00", .seconds, "'\u{BD}:00' is not a clock time: use m:ss.mmm, e.g. '1:43.250'"),
        ("\u{0663}:00", .seconds, "'\u{0663}:00' is not a clock time: use m:ss.mmm, e.g. '1:43.250'"),
        ("bar x", .seconds, "'bar x' is not a bar position: use 'bar 30' or 'bar 30.3' (bar.beat, 1-based)"),
        ("bar 3.1.1", .seconds, "'bar 3.1.1' is not a bar position: use 'bar 30' or 'bar 30.3' (bar.beat, 1-based)"),
        ("bar 0", .seconds, "'bar 0': bars and beats count from 1"),
        ("bar 3.0", .seconds, "'bar 3.0': bars and beats count from 1"),
        ("0", .bars, "'0': bars and beats count from 1"),
        ("-2", .bars, "'-2': bars and beats count from 1"),
        ("1.5 smp", .seconds, "'1.5 smp' is not a sample position: use a whole number, e.g. '96000 smp'"),
        ("smp", .seconds, "'smp' is not a sample position: use a whole number, e.g. '96000 smp'"),
        ("5 Hz", .seconds, "'5 Hz' \(notAPosition)"),
        ("30.3.1", .bars, "'30.3.1' \(notAPosition)"),
        ("-inf s", .seconds, "'-inf s' \(notAPosition)"),
    ])
    func badPosition(_ text: String, _ bare: TimePosition.BareUnit, _ message: String) {
        #expect(throws: ValueError(message)) { try Units.position(text, bare: bare) }
    }

    @Test("Positions print the way they are written", arguments: [
        (TimePosition.bar(30, beat: 1), "bar 30"), (.bar(30, beat: 3), "bar 30.3"),
        (.seconds(12.5), "12.5 s"), (.samples(96000), "96000 smp"),
    ])
    func positionDescription(_ position: TimePosition, _ text: String) {
        #expect(position.description == text)
    }
}

@Suite("Session clock")
struct SessionClockTests {
    /// `numerator / denominator` rounded to the nearest integer, halves away from zero, in exact integer arithmetic.
    static func roundedQuotient(_ numerator: Int, _ denominator: Int) -> Int64 {
        precondition(denominator > 0)
        let magnitude = (2 * abs(numerator) + denominator) / (2 * denominator)
        return Int64(numerator < 0 ? -magnitude : magnitude)
    }

    /// The sample where `bar`.`beat` starts, from the definition: a beat of an x/n meter lasts 4/n quarter notes,
    /// a quarter note lasts 60/bpm seconds. Exact rational arithmetic, rounded once.
    static func expectedSample(bar: Int, beat: Int, beatsPerBar: Int, noteValue: Int, bpm: Int, rate: Int) -> Int64 {
        let beats = (bar - 1) * beatsPerBar + (beat - 1)
        // beats · (4 / noteValue) · (60 / bpm) · rate
        return roundedQuotient(beats * 4 * 60 * rate, noteValue * bpm)
    }

    @Test("Bars at 120 BPM in 4/4 at 48 kHz")
    func bars120() {
        let clock = SessionClock(sampleRate: 48000, quarterNotesPerMinute: 120, meter: Meter(beatsPerBar: 4, noteValue: 4))
        // A beat is half a second (24 000 samples); a bar is four beats.
        #expect(clock.secondsPerBeat == 0.5)
        #expect(clock.sampleIndex(of: .bar(1, beat: 1))! == 0)
        #expect(clock.sampleIndex(of: .bar(1, beat: 2))! == 24000)
        #expect(clock.sampleIndex(of: .bar(2, beat: 1))! == 96000)
        #expect(clock.sampleIndex(of: .bar(5, beat: 1))! == 384_000)
        #expect(clock.sampleIndex(of: .bar(5, beat: 3))! == 432_000)
        #expect(clock.sampleIndex(of: .bar(30, beat: 1))! == 29 * 4 * 24000)
    }

    @Test("Bars in 6/8 at 90 BPM count eighth notes against a quarter-note tempo")
    func bars6_8() {
        let clock = SessionClock(sampleRate: 48000, quarterNotesPerMinute: 90, meter: Meter(beatsPerBar: 6, noteValue: 8))
        // An eighth note lasts 60/90/2 = 1/3 s = 16 000 samples; a 6/8 bar lasts 2 s.
        #expect(abs(clock.secondsPerBeat - 60.0 / 90.0 / 2.0) < 1e-15)
        #expect(clock.sampleIndex(of: .bar(1, beat: 2))! == 16000)
        #expect(clock.sampleIndex(of: .bar(2, beat: 1))! == 96000)
        #expect(clock.sampleIndex(of: .bar(3, beat: 4))! == (2 * 6 + 3) * 16000)
        #expect(clock.sampleIndex(of: .bar(17, beat: 6))! == (16 * 6 + 5) * 16000)
        #expect(clock.sampleIndex(of: .bar(101, beat: 1))! == 100 * 96000)
    }

    @Test("Bar positions match exact rational arithmetic", arguments: [
        // (beats per bar, note value, BPM, sample rate)
        (4, 4, 120, 48000), (6, 8, 90, 48000), (3, 4, 100, 44100), (7, 8, 140, 48000),
        (5, 4, 97, 44100), (12, 8, 133, 96000), (2, 2, 71, 48000), (4, 4, 60, 8000),
    ])
    func barsMatchArithmetic(_ beatsPerBar: Int, _ noteValue: Int, _ bpm: Int, _ rate: Int) {
        let clock = SessionClock(sampleRate: rate, quarterNotesPerMinute: Double(bpm),
                                 meter: Meter(beatsPerBar: beatsPerBar, noteValue: noteValue))
        for bar in [1, 2, 3, 5, 17, 30, 64, 333, 1000] {
            for beat in 1...beatsPerBar {
                let expected = Self.expectedSample(bar: bar, beat: beat, beatsPerBar: beatsPerBar,
                                                   noteValue: noteValue, bpm: bpm, rate: rate)
                #expect(clock.sampleIndex(of: .bar(bar, beat: beat)) == expected, "bar \(bar).\(beat)")
            }
        }
    }

    @Test("Seconds round to the nearest sample, halves away from zero", arguments: [
        // At 2 Hz a quarter of a second is exactly half a sample.
        (2, 0.25, Int64(1)), (2, 0.75, 2), (2, 1.25, 3), (2, 2.25, 5), (2, -0.25, -1), (2, -1.25, -3),
        (4, 0.125, 1), (4, 0.625, 3), (4, 0.1, 0), (4, 0.2, 1), (4, -0.2, -1),
        (48000, 0, 0), (48000, 1, 48000), (48000, 0.5, 24000), (48000, 2.000_01, 96000),
        (48000, 2.000_02, 96001), (48000, -2.000_02, -96001), (44100, 1.23456, 54444), (44100, 103.25, 4_553_325),
    ])
    func secondsRounding(_ rate: Int, _ seconds: Double, _ expected: Int64) {
        let clock = SessionClock(sampleRate: rate, quarterNotesPerMinute: 120, meter: Meter(beatsPerBar: 4, noteValue: 4))
        #expect(clock.sampleIndex(of: .seconds(seconds)) == expected)
    }

    @Test("Sample positions are used as written")
    func samples() {
        let clock = SessionClock(sampleRate: 44100, quarterNotesPerMinute: 93, meter: Meter(beatsPerBar: 7, noteValue: 8))
        #expect(clock.sampleIndex(of: .samples(96000)) == 96000)
        #expect(clock.sampleIndex(of: .samples(-5)) == -5)
        #expect(clock.sampleIndex(of: .samples(0)) == 0)
    }

    @Test("A session's clock follows its tempo, meter and rate")
    func sessionClock() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            session: { sample_rate: 44100, tempo: 90, meter: 6/8 }
            tracks:
              kick: { stem: kick.wav, offset: bar 3.4 }
            """)
        let clock = recipe.session.clock
        #expect(clock == SessionClock(sampleRate: 44100, quarterNotesPerMinute: 90, meter: Meter(beatsPerBar: 6, noteValue: 8)))
        // 15 eighth notes of 1/3 s = 5 s.
        #expect(clock.sampleIndex(of: recipe.tracks[0].offset.value)! == 5 * 44100)
    }

    @Test("Meters print as written")
    func meterDescription() {
        #expect(Meter(beatsPerBar: 6, noteValue: 8).description == "6/8")
        #expect(Meter(beatsPerBar: 4, noteValue: 4).description == "4/4")
    }
}
