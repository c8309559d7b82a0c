import BounceKit
import Engine
import Foundation
import Recipe
import RenderGraph
import Testing
import TestSupport

/// Tempo maps, sections, arrangements, mixes and automation, each against an independent computation.
@Suite struct MusicalTimeTests {
    /// A folder holding `a.wav`: a 100 Hz mono sine at 48 kHz, `frames` long.
    static func folderWithStem(frames: Int) throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.sine(frequency: 100, sampleRate: 48000, frames: frames)], to: folder.file("a.wav"),
                            sampleRate: 48000)
        return folder
    }

    // MARK: Time

    /// Bar positions through a tempo map with a linear ramp and a meter change, against a numerical integration
    /// of 60/bpm over quarter notes (midpoint rule, 200 000 steps per bar).
    @Test func tempoMapGivesTheSamplePositionOfABar() throws {
        let folder = try Self.folderWithStem(frames: 48000)
        folder.write("""
            bounce: 1
            session:
              tempo: [ { at: 1, bpm: 100 }, { at: 9, bpm: 140, ramp: true }, { at: 17, bpm: 90 } ]
              meter: [ { at: 1, meter: 4/4 }, { at: 13, meter: 7/8 } ]
            tracks: { a: { stem: a.wav } }
            """, to: "t.yaml")
        let recipe = try RecipeParser.load(path: folder.file("t.yaml").path)
        let clock = recipe.session.clock
        // Independent model: quarters per bar from the meter, bpm(q) piecewise, seconds = ∫ 60/bpm dq.
        func quartersPerBar(_ bar: Int) -> Double { bar >= 13 ? 3.5 : 4 }
        func bpm(_ q: Double) -> Double {
            // A ramp from 100 (bar 1) arriving at 140 at bar 9 (32 quarters); 140 until bar 17 (12 bars of 4 and 4 of
            // 3.5 quarters: 62), then 90.
            let q9 = 32.0, q17 = 12 * 4 + 4 * 3.5
            if q < q9 { return 100 + (140 - 100) * q / q9 }
            if q < q17 { return 140 }
            return 90
        }
        var seconds = 0.0, quarter = 0.0
        for bar in 1..<24 {
            let steps = 200_000, dq = quartersPerBar(bar) / Double(steps)
            for i in 0..<steps { seconds += dq * 60 / bpm(quarter + (Double(i) + 0.5) * dq) }
            quarter += quartersPerBar(bar)
            let expected = Int64((seconds * 48000).rounded())
            let actual = clock.sampleIndex(bar: bar + 1, beat: 1)
            #expect(abs(actual - expected) <= 1, "bar \(bar + 1): \(actual) vs \(expected)")
        }
        // Beat 3 of a 7/8 bar is two eighths after its downbeat, at 90 BPM: 2 × 0.5 × 60/90 s.
        let downbeat = clock.seconds(atQuarter: clock.quarters(bar: 20, beat: 1))
        #expect(clock.sampleIndex(bar: 20, beat: 3) == Int64(((downbeat + 2 * 0.5 * 60 / 90) * 48000).rounded()))
        // The inverse gives the bar back.
        let (bar, beat) = clock.barBeat(atSample: clock.sampleIndex(bar: 15, beat: 4))
        #expect(bar == 15 && abs(beat - 4) < 1e-3)
    }

    @Test func sectionsResolveToExactSamples() throws {
        let session = try Session.make("""
            sections:
              intro: { at: 1, bars: 8 }
              verse: { bars: 16 }
              break: { at: "1:00.000", length: 2.5 s }
              outro: { at: break.end, until: "bar 40" }
            """, tempo: 112)
        let recipe = session.recipe
        let perBar = 4 * 60.0 / 112 * 48000
        #expect(recipe.section(named: "intro")!.start == 0)
        #expect(recipe.section(named: "intro")!.end == Int64((8 * perBar).rounded()))
        #expect(recipe.section(named: "verse")!.end == Int64((24 * perBar).rounded()))
        #expect(recipe.section(named: "break")!.length == 120_000)
        #expect(recipe.section(named: "outro")!.start == 60 * 48000 + 120_000)
        #expect(recipe.section(named: "outro")!.end == Int64((39 * perBar).rounded()))
    }

    @Test(arguments: [
        ("sections: { a: { at: 1, bars: 4 }, b: { at: 3, bars: 4 } }", "overlaps section 'a'"),
        ("sections: { a: { at: 5, until: \"bar 2\" } }", "ends before it starts"),
        ("sections: { a: { at: 1 } }", "needs its length"),
        ("sections: { a: { at: 1, bars: 2, length: 3 s } }", "gives its length twice"),
        ("sections: { a: { at: 1, bars: 4 } }\narrangements: { radio: { play: [a, chrous] } }", "unknown section 'chrous'"),
        ("sections: { a: { at: 1, bars: 1 }, b: { at: 3, bars: 1 } }\narrangements: { r: { play: [a, b], crossfade: 3 s } }",
         "longer than the shorter of the two sections"),
        ("sections: { a: { at: 1, bars: 1 } }\narrangements: { full: { play: [a] } }", "'full' is built in"),
        ("mixes: { nov: { mute: [vxo] } }", "which is no track or bus"),
        ("sections: { late: { at: 100, bars: 1 } }", "after the stems end (0:10.000): it is outside the session"),
        ("session: { tempo: [ { at: 1, bpm: 100 }, { at: 1, bpm: 90 } ] }", "tempo changes must be in time order"),
        ("session: { meter: [ { at: 2, meter: 3/4 } ] }", "the first meter must be at bar 1"),
        ("tracks: { x: { stem: a.wav, automation: { gain: [ { at: 2 s, value: 0 dB }, { at: 1 s, value: -3 dB } ] } } }",
         "automation points must be in time order"),
        ("sections: { a: { at: 1, bars: 1 } }\ndeliver: { r: { arrangement: raido } }", "unknown arrangement 'raido'"),
    ])
    func badMusicalTimeIsReportedWithItsLocation(_ yaml: String, _ message: String) throws {
        let folder = try Self.folderWithStem(frames: 480000)
        let tracks = yaml.hasPrefix("tracks:") ? "" : "tracks: { vox: { stem: a.wav } }\n"
        folder.write("bounce: 1\n" + tracks + yaml + "\n", to: "bad.yaml")
        let diagnostics = Bounce.check(recipePath: folder.file("bad.yaml").path)
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.contains { $0.message.contains(message) && ($0.location?.line ?? 0) >= 2 },
                "\(diagnostics.map(\.description))")
    }

    /// A section that fails its own checks is reported once; references to it add no further errors.
    @Test func aBrokenSectionIsReportedOnce() throws {
        let folder = try Self.folderWithStem(frames: 480000)
        folder.write("""
            bounce: 1
            sections: { a: { at: 1, bars: 4 }, b: { at: 3, bars: 4 } }
            tracks: { vox: { stem: a.wav, mute: [b], automation: { gain: { b: -3 dB } } } }
            arrangements: { r: { play: [a, b] } }
            """, to: "once.yaml")
        let diagnostics = Bounce.check(recipePath: folder.file("once.yaml").path)
        #expect(diagnostics.map(\.description) == [
            "\(folder.file("once.yaml").path):2:36: error: section 'b' overlaps section 'a' (line 2): sections may leave "
                + "gaps but must not overlap",
        ])
    }

    // MARK: Arrangements

    /// Three sections of a 100 Hz sine; the edit (at a peak of the sine) skips B, whose length puts the jump half a
    /// cycle out of phase: a hard cut there jumps by twice the amplitude.
    static func editSession(crossfade: String, track: String = "", more: String = "") throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.sine(frequency: 100, sampleRate: 48000, frames: 72000, amplitude: 0.5)],
                            to: folder.file("sine.wav"), sampleRate: 48000, format: .init(.wav, .float32))
        folder.write("""
            bounce: 1
            title: Edit
            session: { pan_law: 0 dB }
            sections:
              a: { at: 0 s, length: 0.5025 s }
              b: { at: 0.5025 s, length: 0.505 s }
              c: { at: 1.0075 s, length: 0.4925 s }
            tracks:
              sine:
                stem: sine.wav
            \(track)
            arrangements:
              edit: { play: [a, c], crossfade: \(crossfade) }
              again: { play: [a, b, c] }
            \(more)
            """, to: "edit.yaml")
        return folder
    }

    func renderMix(_ folder: TemporaryDirectory, arrangement: String? = nil, mix: String? = nil, recipe: String = "edit.yaml",
                   blockSize: Int = 4096, jobs: Int = 1) throws -> (channels: [[Float]], url: URL) {
        let out = TemporaryDirectory()
        let prepared = try Bounce.prepare(recipePath: folder.file(recipe).path, outDirectory: out.url,
                                          arrangement: arrangement, mix: mix)
        var options = RenderOptions(blockSize: blockSize, outDirectory: out.url, jobs: jobs)
        options.jobs = jobs
        let result = try Bounce.render(prepared, options: options)
        let url = result.files[0].url
        // Keep the folder alive until read.
        let channels = try TestAudio.read(url).channels
        return (channels, try Self.keep(url, out))
    }

    static func keep(_ url: URL, _ folder: TemporaryDirectory) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("bounce-test-\(UUID().uuidString).wav")
        try FileManager.default.copyItem(at: url, to: copy)
        return copy
    }

    @Test func anArrangementLastsTheSumOfItsSectionsAndMatchesTheFullRenderOutsideTheCrossfades() throws {
        let folder = try Self.editSession(crossfade: "10 ms")
        let full = try renderMix(folder).channels
        let edit = try renderMix(folder, arrangement: "edit").channels
        #expect(edit[0].count == 24120 + 23640, "a (0.5025 s) + c (0.4925 s), no tail: stateless processing")
        // Outside the crossfade (±240 samples around the edit at 24120) and the final 10 ms fade-out, every sample
        // is the full render's.
        #expect(Array(edit[0][0..<(24120 - 240)]) == Array(full[0][0..<(24120 - 240)]))
        let offset = 48360 - 24120  // c starts at 1.0075 s on the timeline
        #expect(Array(edit[0][(24120 + 240)..<(edit[0].count - 480)])
                == Array(full[0][(24120 + 240 + offset)..<(edit[0].count - 480 + offset)]))
        // Contiguous sections (a, b, c) play straight through: the full render's samples up to the final fade-out
        // (30 ms by default).
        let again = try renderMix(folder, arrangement: "again").channels[0]
        #expect(again.count == 72000)
        #expect(Array(again[0..<(72000 - 1440)]) == Array(full[0][0..<(72000 - 1440)]))
    }

    @Test func editsAreClickFree() throws {
        func maxStep(_ x: [Float], around centre: Int) -> Float {
            var worst: Float = 0
            for n in (centre - 1000)..<(centre + 1000) { worst = max(worst, abs(x[n + 1] - x[n])) }
            return worst
        }
        let sineStep = Float(0.5 * 2 * Double.pi * 100 / 48000)  // the sine's own largest step (×0 dB pan law)
        let smooth = try renderMix(try Self.editSession(crossfade: "30 ms"), arrangement: "edit").channels[0]
        #expect(maxStep(smooth, around: 24120) <= sineStep * 1.01, "\(maxStep(smooth, around: 24120)) vs \(sineStep)")
        let hard = try renderMix(try Self.editSession(crossfade: "0 ms"), arrangement: "edit").channels[0]
        #expect(maxStep(hard, around: 24120) > 10 * sineStep, "a hard cut half a cycle out of phase clicks")
    }

    @Test func aReverbTailFromBeforeAnEditRingsOnAfterIt() throws {
        let folder = TemporaryDirectory()
        var burst = [Float](repeating: 0, count: 96000)
        for n in 23000..<23500 { burst[n] = Float(sin(Double(n) * 0.3)) * 0.5 }  // a burst just before a ends
        try TestAudio.write([burst], to: folder.file("burst.wav"), sampleRate: 48000)
        folder.write("""
            bounce: 1
            sections: { a: { at: 0 s, length: 0.5 s }, b: { at: 0.5 s, length: 1 s }, c: { at: 1.5 s, length: 0.5 s } }
            tracks: { burst: { stem: burst.wav, sends: { verb: 0 dB } } }
            buses: { verb: { inserts: [ { reverb: { decay: 1 s, mix: 100% } } ] } }
            arrangements: { edit: { play: [a, c] } }
            """, to: "tail.yaml")
        let edit = try renderMix(folder, arrangement: "edit", recipe: "tail.yaml").channels[0]
        func rms(_ range: Range<Int>) -> Double {
            (range.map { Double(edit[$0] * edit[$0]) }.reduce(0, +) / Double(range.count)).squareRoot()
        }
        // c itself is silent in the stem: what plays after the edit is the reverb of a's burst.
        #expect(rms(24500..<26000) > 1e-3)
        #expect(rms(24500..<26000) > rms(40000..<41500))
    }

    // MARK: Mixes

    @Test func aSoloMixEqualsTheRecipeWithTheOtherTracksRemoved() throws {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.noise(frames: 30000, seed: 5)], to: folder.file("vox.wav"), sampleRate: 48000)
        try TestAudio.write([TestAudio.noise(frames: 30000, seed: 6), TestAudio.noise(frames: 30000, seed: 7)],
                            to: folder.file("keys.wav"), sampleRate: 48000)
        let common = """
            buses:
              verb: { inserts: [ { reverb: { decay: 0.8 s } } ], bus: glue }
              glue: { inserts: [ { compressor: { threshold: -20 dB, ratio: 3 } } ] }
            master: { inserts: [ { limiter: { ceiling: -1 dBTP } } ] }
            """
        folder.write("""
            bounce: 1
            title: Solo
            tracks:
              vox: { stem: vox.wav, gain: -2 dB, pan: L20, bus: glue, sends: { verb: -6 dB } }
              keys: { stem: keys.wav, bus: glue, sends: { verb: -3 dB } }
            \(common)
            mixes: { acapella: { solo: [vox] }, quiet: { gain: { vox: -3 dB } } }
            """, to: "solo.yaml")
        folder.write("""
            bounce: 1
            title: Solo
            tracks:
              vox: { stem: vox.wav, gain: -2 dB, pan: L20, bus: glue, sends: { verb: -6 dB } }
            \(common)
            """, to: "alone.yaml")
        let solo = try renderMix(folder, mix: "acapella", recipe: "solo.yaml")
        let alone = try renderMix(folder, recipe: "alone.yaml")
        #expect(try Data(contentsOf: solo.url) == Data(contentsOf: alone.url))
    }

    // MARK: Automation

    @Test func aGainRampHitsItsMidpointInDecibels() throws {
        let folder = TemporaryDirectory()
        try TestAudio.write([[Float](repeating: 0.25, count: 96000)], to: folder.file("dc.wav"), sampleRate: 48000,
                            format: .init(.wav, .float32))
        folder.write("""
            bounce: 1
            tracks:
              dc:
                stem: dc.wav
                automation:
                  gain: [ { at: 0 s, value: -6 dB }, { at: 1 s, value: 0 dB, ramp: 500 ms } ]
            """, to: "ramp.yaml")
        let x = try renderMix(folder, recipe: "ramp.yaml").channels[0]
        func db(_ n: Int) -> Double { 20 * log10(Double(x[n]) / Double(x[0])) }
        #expect(abs(db(47999)) < 1e-4, "holds −6 dB until the ramp starts")
        #expect(abs(db(60000) - 3) < 0.05, "midpoint of the ramp: \(db(60000)) dB above the start")
        #expect(abs(db(72000) - 6) < 1e-3, "reaches 0 dB (6 dB above) at 1.5 s")
        // Per-sample, no zipper: every step of the ramp is the same size to within rounding.
        let steps = (48001..<71999).map { db($0 + 1) - db($0) }
        #expect(steps.max()! - steps.min()! < 2e-4)
    }

    /// Arrangement, section mutes, pan, send and parameter automation: the same bytes for any block size and job count.
    @Test(arguments: [1, 97, 4096])
    func automationAndArrangementsAreBlockSizeAndThreadInvariant(_ blockSize: Int) throws {
        let track = [
            "    mute: [b]", "    fade_in: 5 ms", "    sends: { fx: -6 dB }",
            "    inserts: [ { eq: { id: tone, bands: [ { type: peak, freq: 1 kHz, gain: 0 dB } ] } }, "
                + "{ compressor: { id: comp, threshold: -10 dB } } ]",
            "    automation:", "      pan: { c: -0.5 }",
            "      sends.fx: [ { at: 0.2 s, value: -20 dB }, { at: 1.2 s, value: 0 dB } ]",
            "      tone.gain: [ { at: 0 s, value: -6 dB }, { at: 1.4 s, value: 6 dB, curve: s } ]",
            "      comp.threshold: { a: -30 dB }",
        ].joined(separator: "\n")
        let folder = try Self.editSession(crossfade: "20 ms", track: track,
                                          more: "buses:\n  fx: { inserts: [ { delay: { time: 50 ms, feedback: 30% } } ] }")
        let reference = try renderMix(folder, arrangement: "edit", blockSize: 4096, jobs: 1)
        let other = try renderMix(folder, arrangement: "edit", blockSize: blockSize, jobs: 2)
        #expect(try Data(contentsOf: other.url) == Data(contentsOf: reference.url))
    }
}

extension Session {
    /// A recipe with one silent 60 s track and the given extra YAML, parsed.
    static func make(_ yaml: String, tempo: Double) throws -> (recipe: Recipe, folder: TemporaryDirectory) {
        let folder = TemporaryDirectory()
        try TestAudio.write([[Float](repeating: 0, count: 48000)], to: folder.file("a.wav"), sampleRate: 48000)
        folder.write("bounce: 1\nsession: { tempo: \(tempo) }\ntracks: { a: { stem: a.wav } }\n" + yaml, to: "s.yaml")
        return (try RecipeParser.load(path: folder.file("s.yaml").path), folder)
    }
}
