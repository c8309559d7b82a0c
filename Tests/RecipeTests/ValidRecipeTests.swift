import Foundation
import Recipe
import Testing

@Suite("Valid recipes")
struct ValidRecipeTests {
    static let full = """
        bounce: 1
        title: Night Drive
        artist: The Example Band
        album: Examples Vol. 1
        isrc: GB-XXX-26-00001
        year: 2026

        session:
          sample_rate: 44100
          tempo: 112
          meter: 6/8
          stems: stems
          pan_law: -4.5 dB
          resampler: libsamplerate

        tracks:
          kick:
            stem: kick.wav
            gain: -2 dB
            pan: 0
            bus: drums
            sends:
              plate: -14 dB
          hats: { stem: hats.wav, pan: R15, bus: drums, sends: { plate: { level: -10 dB, pre: true } } }
          bass:
            stem: ../bass.wav
            offset: 0.5 s
            mute: true
          vox:
            stem: ../vox.wav
            gain: +1.5 dB
            pan: L30
            offset: "bar 3.4"
            sends: { plate: { level: -8 dB }, room: -20 dB }

        buses:
          drums:
            gain: -1 dB
            bus: glue
          glue: { sends: { room: -18 dB } }
          plate:
            gain: -4 dB
            pan: -0.1
          room:
          fx: { bus: master, mute: yes }

        master:
          gain: -0.5 dB

        output: "renders/{title}.{ext}"
        """

    @Test("A full recipe parses into the expected model")
    func fullRecipe() throws {
        let folder = StemFolder()
        let recipe = try folder.parse(Self.full)

        #expect(recipe.file == "song.yaml")
        #expect(recipe.directory == folder.url)
        #expect(recipe.version == 1)

        #expect(recipe.metadata.title == "Night Drive")
        #expect(recipe.metadata.artist == "The Example Band")
        #expect(recipe.metadata.album == "Examples Vol. 1")
        #expect(recipe.metadata.isrc == "GB-XXX-26-00001")
        #expect(recipe.metadata.year == 2026)

        let session = recipe.session
        #expect(session.sampleRate == 44100)
        #expect(session.tempo == 112)
        #expect(session.meter == Meter(beatsPerBar: 6, noteValue: 8))
        #expect(session.stemsDirectory.path == folder.url.appendingPathComponent("stems").standardizedFileURL.path)
        #expect(session.panLaw == .minus4_5dB)
        #expect(session.resampler == .libsamplerate)

        // Tracks, in declaration order (not alphabetical).
        #expect(recipe.tracks.map(\.name.value) == ["kick", "hats", "bass", "vox"])
        #expect(recipe.tracks.map(\.stem.value) == ["kick.wav", "hats.wav", "../bass.wav", "../vox.wav"])
        #expect(recipe.tracks.map(\.stemURL.path) == [
            "\(folder.path)/stems/kick.wav", "\(folder.path)/stems/hats.wav",
            "\(folder.path)/bass.wav", "\(folder.path)/vox.wav",
        ])
        #expect(recipe.tracks.map(\.gainDB) == [-2, 0, 0, 1.5])
        #expect(recipe.tracks.map(\.pan) == [0, 0.15, 0, -0.3])
        #expect(recipe.tracks.map(\.mute) == [false, false, true, false])
        #expect(recipe.tracks.map(\.offset.value) == [.seconds(0), .seconds(0), .seconds(0.5), .bar(3, beat: 4)])
        #expect(recipe.tracks.map(\.destination.value) == [.bus("drums"), .bus("drums"), .master, .master])

        let kick = recipe.tracks[0], hats = recipe.tracks[1], bass = recipe.tracks[2], vox = recipe.tracks[3]
        #expect(sends(kick) == [Plain(target: "plate", levelDB: -14, pre: false)])
        #expect(sends(hats) == [Plain(target: "plate", levelDB: -10, pre: true)])
        #expect(sends(bass).isEmpty)
        // Sends keep their written order too.
        #expect(sends(vox) == [Plain(target: "plate", levelDB: -8, pre: false),
                               Plain(target: "room", levelDB: -20, pre: false)])

        // Buses, in declaration order.
        #expect(recipe.buses.map(\.name.value) == ["drums", "glue", "plate", "room", "fx"])
        #expect(recipe.buses.map(\.gainDB) == [-1, 0, -4, 0, 0])
        #expect(recipe.buses.map(\.pan) == [0, 0, -0.1, 0, 0])
        #expect(recipe.buses.map(\.mute) == [false, false, false, false, true])
        #expect(recipe.buses.map(\.destination.value) == [.bus("glue"), .master, .master, .master, .master])
        #expect(recipe.buses.map { sends($0) } == [[], [Plain(target: "room", levelDB: -18, pre: false)], [], [], []])

        #expect(recipe.master.gainDB == -0.5)
        #expect(recipe.output.value == "renders/{title}.{ext}")
    }

    @Test("Parsed values remember where they were written")
    func locations() throws {
        let folder = StemFolder()
        let recipe = try folder.parse(Self.full)
        func place<T>(_ located: Located<T>) -> String {
            "\(located.location.file):\(located.location.line):\(located.location.column)"
        }
        let kick = recipe.tracks[0], hats = recipe.tracks[1], bass = recipe.tracks[2], vox = recipe.tracks[3]
        #expect(place(kick.name) == "song.yaml:17:3")
        #expect(place(kick.stem) == "song.yaml:18:11")
        #expect(place(kick.destination) == "song.yaml:21:10")
        #expect(place(kick.sends[0].target) == "song.yaml:23:7")
        // Without an offset, the offset points at the track's name.
        #expect(place(kick.offset) == "song.yaml:17:3")
        #expect(place(hats.stem) == "song.yaml:24:17")
        #expect(place(hats.sends[0].target) == "song.yaml:24:58")
        // Without 'bus', the destination points at the track's mapping.
        #expect(place(bass.destination) == "song.yaml:26:5")
        #expect(place(bass.offset) == "song.yaml:27:13")
        #expect(place(vox.offset) == "song.yaml:33:13")
        #expect(place(recipe.buses[1].destination) == "song.yaml:40:9")
        // A bus written with no value routes to master from its name.
        #expect(place(recipe.buses[3].name) == "song.yaml:44:3")
        #expect(place(recipe.buses[3].destination) == "song.yaml:44:3")
        #expect(place(recipe.output) == "song.yaml:50:9")
    }

    @Test("Defaults fill everything a minimal recipe leaves out")
    func defaults() throws {
        let folder = StemFolder()
        let path = folder.temporary.write("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
            """, to: "night-drive.yaml")
        let recipe = try RecipeParser.load(path: path)

        #expect(recipe.file == path)
        #expect(recipe.directory.standardizedFileURL.path == folder.path)
        #expect(recipe.version == 1)
        // The title defaults to the recipe's file name without its extension.
        #expect(recipe.metadata.title == "night-drive")
        #expect(recipe.metadata.artist == nil)
        #expect(recipe.metadata.album == nil)
        #expect(recipe.metadata.isrc == nil)
        #expect(recipe.metadata.year == nil)

        #expect(recipe.session.sampleRate == 48000)
        #expect(recipe.session.tempo == 120)
        #expect(recipe.session.meter == Meter(beatsPerBar: 4, noteValue: 4))
        #expect(recipe.session.stemsDirectory.standardizedFileURL.path == folder.path)
        #expect(recipe.session.panLaw == .minus3dB)
        #expect(recipe.session.resampler == .soxr)

        let track = try #require(recipe.tracks.first)
        #expect(recipe.tracks.count == 1)
        #expect(track.name.value == "kick")
        #expect(track.stemURL.path == "\(folder.path)/kick.wav")
        #expect(track.gainDB == 0)
        #expect(track.pan == 0)
        #expect(track.mute == false)
        #expect(track.offset.value == .seconds(0))
        #expect(track.destination.value == .master)
        #expect(track.sends.isEmpty)

        #expect(recipe.buses.isEmpty)
        #expect(recipe.master.gainDB == 0)
        #expect(recipe.output.value == Recipe.defaultOutput)
        #expect(Recipe.defaultOutput == "out/{title}/{deliverable}/{title} - {deliverable}.{ext}")
    }

    @Test("The default title comes from the file name as given", arguments: [
        ("song.yaml", "song"), ("mixes/Night Drive.yaml", "Night Drive"), ("night-drive.recipe.yml", "night-drive.recipe"),
        ("bare", "bare"),
    ])
    func defaultTitle(_ file: String, _ title: String) throws {
        let folder = StemFolder()
        let recipe = try RecipeParser.parse(yaml: "bounce: 1\ntracks:\n  kick: { stem: kick.wav }\n", file: file,
                                            directory: folder.url)
        #expect(recipe.metadata.title == title)
    }

    @Test("Empty sections read as their defaults")
    func emptySections() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            session:
            tracks:
              kick: { stem: kick.wav, sends: }
            buses:
            master:
            """)
        #expect(recipe.session.sampleRate == 48000)
        #expect(recipe.tracks[0].sends.isEmpty)
        #expect(recipe.buses.isEmpty)
        #expect(recipe.master.gainDB == 0)
    }

    @Test("Track order is declaration order, whatever the names", arguments: [
        ["zeta", "alpha", "mike", "bravo"], ["b", "a"], ["vox", "kick", "bass", "snare", "hats", "pad", "fx", "gtr"],
    ])
    func declarationOrder(_ names: [String]) throws {
        let folder = StemFolder()
        let tracks = names.map { "  \($0): { stem: kick.wav, bus: \($0)_bus }" }.joined(separator: "\n")
        let buses = names.reversed().map { "  \($0)_bus:" }.joined(separator: "\n")
        let recipe = try folder.parse("bounce: 1\ntracks:\n\(tracks)\nbuses:\n\(buses)\n")
        #expect(recipe.tracks.map(\.name.value) == names)
        #expect(recipe.buses.map(\.name.value) == names.reversed().map { "\($0)_bus" })
        #expect(recipe.tracks.map(\.destination.value) == names.map { .bus("\($0)_bus") })
    }

    @Test("Pan laws in any spelling", arguments: [
        ("-3 dB", PanLaw.minus3dB), ("-4.5 dB", .minus4_5dB), ("-6 dB", .minus6dB), ("0 dB", .zeroDB),
        ("-3", .minus3dB), ("-4.5", .minus4_5dB), ("0", .zeroDB), ("\u{2212}6 dB", .minus6dB), ("-4.5dB", .minus4_5dB),
        ("-6 DB", .minus6dB),
    ])
    func panLaw(_ text: String, _ law: PanLaw) throws {
        let folder = StemFolder()
        let recipe = try folder.parse("bounce: 1\nsession: { pan_law: \(text) }\ntracks:\n  kick: { stem: kick.wav }\n")
        #expect(recipe.session.panLaw == law)
    }

    @Test("Session values in other accepted spellings")
    func sessionSpellings() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            session:
              sample_rate: 96_000
              tempo: 92.5 BPM
              meter: 7 / 8
              resampler: SoXR
            tracks:
              kick: { stem: kick.wav }
            """)
        #expect(recipe.session.sampleRate == 96000)
        #expect(recipe.session.tempo == 92.5)
        #expect(recipe.session.meter == Meter(beatsPerBar: 7, noteValue: 8))
        #expect(recipe.session.resampler == .soxr)
    }

    @Test("Booleans", arguments: [
        ("true", true), ("false", false), ("yes", true), ("no", false), ("on", true), ("off", false), ("True", true),
        ("NO", false),
    ])
    func booleans(_ text: String, _ value: Bool) throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav, mute: \(text), sends: { verb: { level: -3 dB, pre: \(text) } } }
            buses:
              verb:
            """)
        #expect(recipe.tracks[0].mute == value)
        #expect(recipe.tracks[0].sends[0].preFader == value)
    }

    @Test("Offsets in every form", arguments: [
        ("0.5 s", TimePosition.seconds(0.5)), ("2", .seconds(2)), ("\"1:43.250\"", .seconds(103.25)),
        ("\"-0:02\"", .seconds(-2)), ("-1.5 s", .seconds(-1.5)), ("96000 smp", .samples(96000)),
        ("bar 5", .bar(5, beat: 1)), ("\"bar 30.3\"", .bar(30, beat: 3)), ("\"23:59:59\"", .seconds(86399)),
    ])
    func offsets(_ text: String, _ position: TimePosition) throws {
        let folder = StemFolder()
        let recipe = try folder.parse("bounce: 1\ntracks:\n  kick: { stem: kick.wav, offset: \(text) }\n")
        #expect(recipe.tracks[0].offset.value == position)
    }

    @Test("Levels at the limits are accepted")
    func levelLimits() throws {
        let folder = StemFolder()
        let recipe = try folder.parse("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gain: +24 dB, sends: { verb: -inf dB } }
            buses:
              verb: { gain: -inf dB }
            master: { gain: -inf }
            """)
        #expect(recipe.tracks[0].gainDB == 24)
        #expect(recipe.tracks[0].sends[0].levelDB == -.infinity)
        #expect(recipe.buses[0].gainDB == -.infinity)
        #expect(recipe.master.gainDB == -.infinity)
    }

    // MARK: Helpers

    /// A send without its location, for comparing.
    struct Plain: Equatable, CustomStringConvertible {
        var target: String
        var levelDB: Double
        var pre: Bool
        var description: String { "\(target) \(levelDB) dB\(pre ? " pre" : "")" }
    }

    func sends(_ track: Track) -> [Plain] { track.sends.map { Plain(target: $0.target.value, levelDB: $0.levelDB, pre: $0.preFader) } }
    func sends(_ bus: Bus) -> [Plain] { bus.sends.map { Plain(target: $0.target.value, levelDB: $0.levelDB, pre: $0.preFader) } }
}
