import BounceKit
import Foundation
import Testing
import TestSupport

/// A 3 s stereo stem with a high crest factor (noise hits on every beat over a 55 Hz bass): it cannot reach a
/// loud target without limiting.
private func writeHits(_ folder: TemporaryDirectory, name: String = "hits.wav") throws {
    let rate = 48000.0, frames = 3 * 48000
    let noise = [TestAudio.noise(frames: frames, amplitude: 1, seed: 41), TestAudio.noise(frames: frames, amplitude: 1, seed: 42)]
    let channels: [[Float]] = (0..<2).map { c in
        (0..<frames).map { n in
            let t = Double(n) / rate
            return Float(exp(-t.truncatingRemainder(dividingBy: 0.5) * 30) * 0.5 * Double(noise[c][n])
                         + 0.2 * sin(2 * Double.pi * 55 * t))
        }
    }
    try TestAudio.write(channels, to: folder.file(name), sampleRate: 48000)
}

/// `on_miss` and `--only` through the `bounce` executable: what a user sees and the exit status.
@Suite("Delivery: on_miss and --only on the command line", .serialized)
struct DeliveryCommandLineTests {
    let folder = TemporaryDirectory()

    init() throws { try writeHits(folder) }

    /// Vinyl allows no brickwall limiting: −6 LUFS would need ~10 dB more gain than the −1 dBTP ceiling allows.
    func recipe(onMiss: String?) -> String {
        let extra = onMiss.map { ", on_miss: \($0)" } ?? ""
        return """
            bounce: 1
            title: Loud
            tracks:
              hits: { stem: hits.wav }
            deliver:
              vinyl: { preset: vinyl, loudness: -6 LUFS\(extra) }
              web: { preset: streaming }
            """
    }

    @Test("An unreachable target fails the render with a clear line per problem and exit status 1")
    func missFails() throws {
        folder.write(recipe(onMiss: nil), to: "fail.yaml")
        let out = TemporaryDirectory()
        let result = try CommandLineTool.run(["render", "fail.yaml", "--out", out.url.path, "--jobs", "2"], in: folder.url)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("error: vinyl: ") && $0.hasSuffix(" (Loud - vinyl.wav)") })
        #expect(result.stderr.contains("error: vinyl: the loudness target needs "))
        #expect(result.stderr.contains(" dB more gain than the -1.0 dBTP ceiling allows without limiting"))
        #expect(result.stderr.contains("misses the -6.0 LUFS target by "))
        #expect(result.stdout.contains("FAIL  \(out.url.path)/out/Loud/vinyl/Loud - vinyl.wav"))
        #expect(result.stdout.contains("pass  \(out.url.path)/out/Loud/web/Loud - web.flac"))
        // The files are still written (and listed in the manifest as failing), so the miss can be inspected.
        let manifest = try Data(contentsOf: out.url.appendingPathComponent("out/Loud/manifest.json"))
        let json = try JSONSerialization.jsonObject(with: manifest) as? [String: Any]
        let files = json?["files"] as? [[String: Any]] ?? []
        #expect(files.map { $0["pass"] as? Bool } == [false, true])
    }

    @Test("on_miss: warn reports the same problems as warnings and exits 0")
    func missWarns() throws {
        folder.write(recipe(onMiss: "warn"), to: "warn.yaml")
        let out = TemporaryDirectory()
        let result = try CommandLineTool.run(["render", "warn.yaml", "--out", out.url.path, "--jobs", "2"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("warning: vinyl: ") }, "\(result.stderr)")
        #expect(result.stdout.contains("warn  \(out.url.path)/out/Loud/vinyl/Loud - vinyl.wav"))
    }

    @Test("--only renders the named deliverables; an unknown name is an error with a suggestion, before rendering")
    func only() throws {
        folder.write(recipe(onMiss: "warn"), to: "only.yaml")
        let out = TemporaryDirectory()
        let unknown = try CommandLineTool.run(["render", "only.yaml", "--out", out.url.path, "--only", "web,vinly"],
                                              in: folder.url)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: --only: no deliverable named 'vinly' (did you mean 'vinyl'?)\n1 error\n")
        #expect(!FileManager.default.fileExists(atPath: out.url.path + "/out"))
        let web = try CommandLineTool.run(["render", "only.yaml", "--out", out.url.path, "--only", "web", "--quiet"],
                                          in: folder.url)
        #expect(web.status == 0, "\(web.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.url.path + "/out/Loud/web/Loud - web.flac"))
        #expect(!FileManager.default.fileExists(atPath: out.url.path + "/out/Loud/vinyl"))
    }

    @Test("--only through the library: the same diagnostic, thrown as a RecipeError")
    func onlyLibrary() throws {
        let path = folder.write(recipe(onMiss: nil), to: "library.yaml")
        let prepared = try Bounce.prepare(recipePath: path, outDirectory: TemporaryDirectory().url)
        #expect(throws: RecipeError.self) {
            _ = try Bounce.deliver(prepared, options: RenderOptions(jobs: 2), only: ["webb"])
        }
        do {
            _ = try Bounce.deliver(prepared, options: RenderOptions(jobs: 2), only: ["webb"])
        } catch let error as RecipeError {
            #expect(error.diagnostics.map(\.description) == ["error: --only: no deliverable named 'webb' (did you mean 'web'?)"])
        }
    }
}

/// Lossy codecs add inter-sample overshoot and, at low bitrates, lose loudness: when the decoded file's true peak is
/// over the ceiling, or its loudness more than 0.1 LU off, the deliverable is mastered and encoded again.
@Suite("Delivery: lossy encoding")
struct DeliveryLossyTests {
    @Test("A loud MP3 overshoots at first and is re-encoded until the decoded true peak is under the ceiling")
    func reencodes() throws {
        let folder = TemporaryDirectory()
        try writeHits(folder)
        let path = folder.write("""
            bounce: 1
            title: Loud
            tracks:
              hits: { stem: hits.wav }
            deliver:
              preview: { preset: mp3, loudness: -12 LUFS, on_miss: warn }
            """, to: "mp3.yaml")
        let prepared = try Bounce.prepare(recipePath: path, outDirectory: folder.url)
        let file = try Bounce.deliver(prepared, options: RenderOptions(jobs: 2)).files[0]
        #expect(file.attempts > 1, "encoded \(file.attempts) times")
        #expect(file.analysis.loudness.truePeakDBTP <= -1, "\(file.analysis.loudness.truePeakDBTP) dBTP")
        #expect(try Bounce.analyze(path: file.url.path).loudness.truePeakDBTP <= -1)
        #expect(abs(file.analysis.loudness.integratedLUFS - -12) <= 0.5)
        #expect(!file.problems.contains { $0.contains("true peak") }, "\(file.problems)")
    }

    @Test("Low bitrates: loudness corrected after decoding; the bitrate is the whole file's (Opus too)")
    func lowBitrates() throws {
        let folder = TemporaryDirectory()
        try writeHits(folder)
        let path = folder.write("""
            bounce: 1
            title: Low
            tracks:
              hits: { stem: hits.wav }
            deliver:
              mp3: { preset: mp3, loudness: -20 LUFS, bitrate: 128 }
              opus: { format: opus, loudness: -20 LUFS, bitrate: 64 }
            """, to: "low.yaml")
        let prepared = try Bounce.prepare(recipePath: path, outDirectory: folder.url)
        for file in try Bounce.deliver(prepared, options: RenderOptions(jobs: 2)).files {
            let loudness = file.analysis.loudness.integratedLUFS
            #expect(abs(loudness - -20) <= 0.1, "\(file.deliverable): \(loudness) LUFS after \(file.attempts) encodes")
            #expect(file.passed, "\(file.problems)")
            let bytes = try FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int ?? 0
            let kbps = Double(bytes) * 8 / file.analysis.durationSeconds / 1000
            let asked = file.deliverable == "mp3" ? 128.0 : 64.0
            #expect(abs(kbps / asked - 1) < 0.15, "\(file.deliverable): \(kbps) kbps for \(asked)")
        }
    }
}

/// Bad `deliver:` entries, each reported at its value (`line:column: error: message`), all at once.
@Suite("Delivery: recipe diagnostics")
struct DeliveryDiagnosticTests {
    @Test("Unknown preset, bad values, sample_rate above the session, stems without groups, unknown tag and key")
    func diagnostics() throws {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.sine(frequency: 100, sampleRate: 48000, frames: 4800)], to: folder.file("kick.wav"),
                            sampleRate: 48000)
        let path = folder.write("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav }
            deliver:
              web: { preset: streeming }
              loud: { preset: streaming, loudness: -3 LUFS }
              word: { preset: streaming, loudness: loud }
              peak: { preset: cd, true_peak: +1 dBTP }
              fmt: { preset: mp3, format: flca }
              bits: { preset: streaming, bit_depth: 20 }
              apple: { preset: apple_music, sample_rate: 96000 }
              parts: { preset: stems }
              tagged: { preset: streaming, tags: { titel: Night Drive, genre: Synthpop } }
              typo: { preset: cd, loudnes: -9 LUFS }
            """, to: "bad.yaml")
        let actual = Bounce.check(recipePath: path).map { d in
            "\(d.location.map { "\($0.line):\($0.column): " } ?? "")\(d.severity.rawValue): \(d.message)"
        }
        #expect(actual == [
            "5:18: error: unknown preset 'streeming' (did you mean 'streaming'?); presets: streaming, apple_music, cd, "
                + "vinyl, broadcast, mp3, stems",
            "6:40: error: 'loudness' must be an integrated target such as '-14 LUFS' (−60…−5) or 'none', found '-3 LUFS'",
            "7:40: error: 'loudness' must be an integrated target such as '-14 LUFS' (−60…−5) or 'none', found 'loud'",
            "8:34: error: 'true_peak' must be a ceiling such as '-1 dBTP' (−20…0) or 'none', found '+1 dBTP'",
            "9:31: error: 'format' must be one of wav, aiff, flac, mp3, opus, found 'flca' (did you mean 'flac'?)",
            "10:41: error: 'bit_depth' must be 16, 24 or 32f, found '20'",
            "11:46: error: 'sample_rate' 96000 is above the session rate (48000): preset 'apple_music' never upsamples",
            "12:3: error: deliverable 'parts' uses the stems preset, but the recipe has no 'stems_out' groups",
            "13:40: error: tag 'titel' cannot be written (did you mean 'title'?); tags: title, artist, album, date, year, "
                + "comment, copyright, genre, track_number",
            "14:23: error: unknown key 'loudnes' in deliverable 'typo' (did you mean 'loudness'?)",
        ])
    }
}

/// WAV masters carry a BWF `bext` chunk with the title, artist, originator and ISRC, and no date or time.
@Suite struct BroadcastWaveTests {
    @Test func bextChunkHasTheRecipeMetadata() throws {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.sine(frequency: 440, sampleRate: 48000, frames: 48000, amplitude: 0.3)],
                            to: folder.file("a.wav"), sampleRate: 48000)
        folder.write("""
            bounce: 1
            title: Song
            artist: Band
            isrc: GB-ABC-26-00042
            tracks:
              a: { stem: a.wav }
            deliver:
              master: { preset: broadcast }
            """, to: "b.yaml")
        let prepared = try Bounce.prepare(recipePath: folder.file("b.yaml").path)
        let result = try Bounce.deliver(prepared, options: RenderOptions(jobs: 1))
        let data = try Data(contentsOf: result.files[0].url)
        let bext = try #require(data.range(of: Data("bext".utf8)))
        let body = data[(bext.upperBound + 4)...]
        func field(_ offset: Int, _ length: Int) -> String {
            let bytes = body.dropFirst(offset).prefix(length).prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(field(0, 256) == "Song - Band")
        #expect(field(256, 32) == "Bounce \(Bounce.version)")
        #expect(field(288, 32) == "GBABC2600042")
        #expect(field(320, 18).isEmpty, "no origination date or time")
    }
}

/// `bitrate: vbr` writes variable-bitrate MP3 (many frame sizes, checked with ffprobe); a number writes CBR.
@Suite struct VariableBitrateTests {
    func frameSizes(_ url: URL) throws -> Set<String> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffprobe")
        process.arguments = ["-v", "error", "-show_frames", "-select_streams", "a", "-show_entries", "frame=pkt_size",
                             "-of", "csv=p=0", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    @Test func vbrAndCbr() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/ffprobe"),
                     "ffprobe (ffmpeg) is needed: scripts/test installs it")
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.noise(frames: 96000, amplitude: 0.2), TestAudio.sine(frequency: 330, sampleRate: 48000, frames: 96000)],
                            to: folder.file("a.wav"), sampleRate: 48000)
        folder.write("""
            bounce: 1
            title: V
            tracks:
              a: { stem: a.wav }
            deliver:
              cbr: { preset: mp3, bitrate: 192 kbps }
              vbr: { preset: mp3, bitrate: vbr }
            """, to: "v.yaml")
        let prepared = try Bounce.prepare(recipePath: folder.file("v.yaml").path)
        let result = try Bounce.deliver(prepared, options: RenderOptions(jobs: 2))
        let allPassed = result.files.allSatisfy { $0.passed }
        #expect(allPassed)
        let cbr = try frameSizes(result.files[0].url), vbr = try frameSizes(result.files[1].url)
        #expect(cbr.count <= 2, "CBR: one frame size (two with padding bytes): \(cbr)")
        #expect(vbr.count > 3, "VBR: frame sizes vary: \(vbr)")
    }
}
