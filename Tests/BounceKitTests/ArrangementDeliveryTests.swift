import BounceKit
import Foundation
import Testing
import TestSupport

/// Deliverables of other arrangements and mixes, vinyl sides, and `--arrangement` / `--mix` on the command line.
@Suite("Delivery: arrangements, mixes and vinyl sides", .serialized)
struct ArrangementDeliveryTests {
    let folder = TemporaryDirectory()

    /// 4 sections of 1 s over two 4 s stems: a noise "vox" and a 110 Hz "bass".
    init() throws {
        let rate = 48000
        try TestAudio.write([TestAudio.noise(frames: 4 * rate, amplitude: 0.2, seed: 3)], to: folder.file("vox.wav"),
                            sampleRate: rate)
        try TestAudio.write([TestAudio.sine(frequency: 110, sampleRate: rate, frames: 4 * rate, amplitude: 0.4)],
                            to: folder.file("bass.wav"), sampleRate: rate)
        folder.write("""
            bounce: 1
            title: Arr
            session: { tempo: 120 }
            sections:
              intro: { at: 1, bars: 0.5 }
              verse: { bars: 0.5 }
              chorus: { bars: 0.5 }
              outro: { bars: 0.5 }
            tracks:
              vox: { stem: vox.wav, mute: [intro] }
              bass: { stem: bass.wav }
            arrangements:
              radio: { play: [verse, chorus, chorus, outro], crossfade: 20 ms }
            mixes:
              instrumental: { mute: [vox] }
            stems_out: { vox: [vox], bass: [bass] }
            deliver:
              main: { preset: broadcast }
              radio: { preset: broadcast, arrangement: radio }
              inst: { preset: broadcast, mix: instrumental }
              lp: { preset: vinyl, sides: { A: [intro, verse], B: [chorus, outro] } }
              stems: { preset: stems, arrangement: radio }
              tailed: { preset: broadcast, arrangement: radio, tail: 0.5 s }
            """, to: "arr.yaml")
    }

    func frames(_ url: URL) throws -> Int { try TestAudio.read(url).channels[0].count }

    @Test func everyCombinationIsRenderedAndNamed() throws {
        let out = TemporaryDirectory()
        let prepared = try Bounce.prepare(recipePath: folder.file("arr.yaml").path, outDirectory: out.url)
        let result = try Bounce.deliver(prepared, options: RenderOptions(outDirectory: out.url, jobs: 2))
        let base = out.url.path + "/out/Arr/"
        let names = result.files.map { $0.url.path.replacingOccurrences(of: base, with: "") }
        #expect(names == ["main/Arr - main.wav", "radio/Arr - radio.wav", "inst/Arr - inst.wav", "lp/Arr - lp - A.wav",
                          "lp/Arr - lp - B.wav", "stems/Arr - stems - vox.wav", "stems/Arr - stems - bass.wav",
                          "tailed/Arr - tailed.wav"])
        #expect(result.files.allSatisfy { $0.passed }, "\(result.files.map(\.problems))")
        // Lengths: the whole timeline, the radio edit (4 sections of 1 s), each side (2 s); no processors, no
        // automatic tail; a fixed tail of 0.5 s is kept whatever it holds.
        let length = result.files.map { $0.analysis.frames }
        #expect(length == [192000, 192000, 192000, 96000, 96000, 192000, 192000, 216000])
        // Each side has a cue sheet with one track per section at its place on the side.
        let cue = try String(contentsOf: out.url.appendingPathComponent("out/Arr/lp/Arr - lp - B.cue"), encoding: .utf8)
        #expect(cue.contains("FILE \"Arr - lp - B.wav\" WAVE"))
        #expect(cue.contains("TRACK 01 AUDIO\r\n    TITLE \"chorus\"\r\n    INDEX 01 00:00:00"))
        #expect(cue.contains("TRACK 02 AUDIO\r\n    TITLE \"outro\"\r\n    INDEX 01 00:01:00"))
        // The instrumental has no vox: its level is the bass alone, quieter than the main mix.
        let main = result.files[0].analysis.loudness, inst = result.files[2].analysis.loudness
        #expect(abs(main.integratedLUFS + 23) < 0.5 && abs(inst.integratedLUFS + 23) < 0.5)
        #expect(result.files[2].masteredLUFS != nil)
    }

    @Test func theCommandLineOverridesTheArrangementAndKeepsTheMainFilesIntact() throws {
        let out = TemporaryDirectory()
        _ = try CommandLineTool.run(["render", "arr.yaml", "--out", out.url.path, "--only", "main"], in: folder.url)
        let mainFile = out.url.appendingPathComponent("out/Arr/main/Arr - main.wav")
        let before = try Data(contentsOf: mainFile)
        let run = try CommandLineTool.run(["render", "arr.yaml", "--out", out.url.path, "--only", "main",
                                           "--arrangement", "radio", "--mix", "instrumental"], in: folder.url)
        #expect(run.status == 0, "\(run.stderr)")
        let variant = out.url.appendingPathComponent("out/Arr/main/Arr - main - radio - instrumental.wav")
        #expect(FileManager.default.fileExists(atPath: variant.path))
        #expect(FileManager.default.fileExists(atPath: out.url.appendingPathComponent(
            "out/Arr/main/manifest - radio - instrumental.json").path))
        let after = try Data(contentsOf: mainFile)
        #expect(after == before, "the main render's file is untouched")
        let unknown = try CommandLineTool.run(["render", "arr.yaml", "--arrangement", "raido"], in: folder.url)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--arrangement: no arrangement named 'raido' (did you mean 'radio'?)"))
    }

    @Test func sectionsCommandPrintsTheTimeline() throws {
        let run = try CommandLineTool.run(["sections", "arr.yaml"], in: folder.url)
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("verse") && $0.contains("1.3") && $0.contains("0:01.000") && $0.contains("48000") })
        #expect(run.stdout.contains("arrangement radio: verse → chorus → chorus → outro"))
        #expect(run.stdout.contains("0:04.000 (192000 smp), 1 edit, crossfade 20 ms"))
    }
}
