import Foundation
import Testing
import TestSupport

/// The `bounce` executable as a user runs it: exit codes, diagnostics on stderr, files on disk.
@Suite(.serialized) struct CommandLineTests {
    let folder = TemporaryDirectory()

    init() throws {
        try TestAudio.write([TestAudio.sine(frequency: 100, sampleRate: 48000, frames: 4800)],
                            to: folder.file("kick.wav"), sampleRate: 48000)
    }

    @Test func checkReportsEveryProblemAndFails() throws {
        folder.write("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gian: -3 dB, bus: drms }
              snare: { stem: snare.wav }
            buses:
              drums: {}
            """, to: "bad.yaml")
        let result = try CommandLineTool.run(["check", "bad.yaml"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr == """
            bad.yaml:3:27: error: unknown key 'gian' in track 'kick' (did you mean 'gain'?)
            bad.yaml:3:45: error: 'kick' is routed to unknown bus 'drms' (did you mean 'drums'?)
            bad.yaml:4:18: error: stem file 'snare.wav' not found (looked for \(folder.url.path)/snare.wav)
            3 errors

            """)
    }

    @Test func checkPassesAGoodRecipe() throws {
        folder.write("bounce: 1\ntracks:\n  kick: { stem: kick.wav }\n", to: "good.yaml")
        let result = try CommandLineTool.run(["check", "good.yaml"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.stdout == "good.yaml: ok\n")
    }

    @Test func renderWritesTheMixUnderOut() throws {
        folder.write("bounce: 1\ntitle: Song\ntracks:\n  kick: { stem: kick.wav }\n", to: "song.yaml")
        let out = TemporaryDirectory()
        let result = try CommandLineTool.run(["render", "song.yaml", "--out", out.url.path, "--quiet"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: out.url.path + "/out/Song/mix/Song - mix.wav"))
    }

    @Test func corruptStemIsAnErrorAtTheStemLine() throws {
        try Data("not audio".utf8).write(to: folder.file("broken.wav"))
        folder.write("bounce: 1\ntracks:\n  kick:\n    stem: broken.wav\n", to: "broken.yaml")
        let result = try CommandLineTool.run(["render", "broken.yaml"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("broken.yaml:4:11: error: stem 'broken.wav': not a readable audio file"))
    }

    /// A stem that opens but stops decoding half-way is reported at its key too, and nothing is written.
    @Test func stemFailingMidRenderIsAnErrorAtTheStemLine() throws {
        let noise = (0..<2).map { c in TestAudio.noise(frames: 96_000, amplitude: 0.2, seed: UInt64(c + 40)) }
        try TestAudio.write(noise, to: folder.file("cut.flac"), sampleRate: 48000, format: .init(.flac, .pcm24))
        let bytes = try Data(contentsOf: folder.file("cut.flac"))
        try bytes.prefix(bytes.count / 2).write(to: folder.file("cut.flac"))
        folder.write("bounce: 1\ntitle: Cut\ntracks:\n  pad: { stem: cut.flac }\n", to: "cut.yaml")
        for jobs in ["1", "2"] {
            let result = try CommandLineTool.run(["render", "cut.yaml", "--jobs", jobs, "--out", "cut-out"], in: folder.url)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("cut.yaml:4:16: error: stem 'cut.flac': decoding failed"), "\(result.stderr)")
            // No file at all: neither a final one nor a temporary one (folders may stay).
            let out = folder.file("cut-out").path
            let files = (FileManager.default.enumerator(atPath: out)?.allObjects as? [String] ?? []).filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: out + "/" + path, isDirectory: &isFolder) && !isFolder.boolValue
            }
            #expect(files.isEmpty, "\(files)")
        }
    }

    @Test func graphPrintsDOT() throws {
        folder.write("bounce: 1\ntracks:\n  kick: { stem: kick.wav, bus: drums }\nbuses:\n  drums: {}\n", to: "g.yaml")
        let result = try CommandLineTool.run(["graph", "g.yaml"], in: folder.url)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("digraph \"g\" {"))
        #expect(result.stdout.contains("n0 -> n1 [label=\"stem\"]"))
        #expect(result.stdout.contains("n1 -> n2 [label=\"route\"]"))
        #expect(result.stdout.contains("n2 -> n3 [label=\"route\"]"))
        let json = try CommandLineTool.run(["graph", "g.yaml", "--json"], in: folder.url)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["nodes"] as? [Any])?.count == 4)
    }
}

/// A render killed or interrupted mid-write never leaves a file under the final name, and an earlier finished
/// file there stays intact.
@Suite(.serialized) struct InterruptedRenderTests {
    /// A session long enough to be caught mid-write: 90 s of a 44.1 kHz stem resampled to 48 kHz.
    static func longSession() throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.noise(frames: 44100 * 90), TestAudio.noise(frames: 44100 * 90, seed: 5)],
                            to: folder.file("long.wav"), sampleRate: 44100, format: .init(.wav, .pcm16))
        folder.write("bounce: 1\ntitle: Long\ntracks:\n  a: { stem: long.wav }\n  b: { stem: long.wav, offset: 1 s }\n",
                     to: "long.yaml")
        return folder
    }

    func interrupt(with signal: Int32) throws -> (status: Int32, folder: URL, keep: TemporaryDirectory) {
        let folder = try Self.longSession()
        let mixFolder = folder.url.appendingPathComponent("out/Long/mix")
        try FileManager.default.createDirectory(at: mixFolder, withIntermediateDirectories: true)
        let earlier = Data("an earlier finished render".utf8)
        try earlier.write(to: mixFolder.appendingPathComponent("Long - mix.wav"))

        let (process, _, _) = try CommandLineTool.start(["render", "long.yaml", "--quiet"], in: folder.url)
        // Wait until the temporary file exists and has grown, i.e. the render is mid-write.
        let deadline = Date().addingTimeInterval(60)
        var writing = false
        while Date() < deadline, process.isRunning, !writing {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: mixFolder.path)) ?? []
            if let temp = names.first(where: { $0.contains(".bounce-tmp-") }),
               let size = try? FileManager.default.attributesOfItem(atPath: mixFolder.appendingPathComponent(temp).path)[.size] as? Int,
               size > 1_000_000 {
                writing = true
            } else {
                usleep(2000)
            }
        }
        #expect(writing, "the render was caught while writing")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(try Data(contentsOf: mixFolder.appendingPathComponent("Long - mix.wav")) == earlier,
                "the earlier file under the final name is untouched")
        return (process.terminationStatus, mixFolder, folder)
    }

    @Test func killedRenderLeavesNoFinalFile() throws {
        let result = try interrupt(with: SIGKILL)
        #expect(result.status != 0)
    }

    @Test func interruptedRenderRemovesItsTemporaryFile() throws {
        let result = try interrupt(with: SIGINT)
        #expect(result.status == 130)
        let names = try FileManager.default.contentsOfDirectory(atPath: result.folder.path)
        #expect(names == ["Long - mix.wav"], "only the earlier file remains: \(names)")
    }
}

/// `check` reports recipe, stem-file and output-name problems together, and catches what render would reject.
@Suite struct CheckCompletenessTests {
    @Test func everyStageReportedAtOnce() throws {
        let folder = TemporaryDirectory()
        try Data("not audio".utf8).write(to: folder.file("broken.wav"))
        try TestAudio.write([TestAudio.sine(frequency: 100, sampleRate: 48000, frames: 480)], to: folder.file("ok.wav"),
                            sampleRate: 48000)
        folder.write("""
            bounce: 1
            tracks:
              a: { stem: broken.wav, gian: 1 }
              b: { stem: ok.wav }
            output: "../{title}.{ext}"
            """, to: "r.yaml")
        let result = try CommandLineTool.run(["check", "r.yaml"], in: folder.url)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines[0].hasPrefix("r.yaml:3:14: error: stem 'broken.wav': not a readable audio file"))
        #expect(lines[1] == "r.yaml:3:26: error: unknown key 'gian' in track 'a' (did you mean 'gain'?)")
        #expect(lines[2].hasPrefix("r.yaml:5:9: error: 'output' resolves to "))
        #expect(lines[3] == "3 errors")
    }

    /// An empty placeholder value does not make the path absolute or leave an empty folder name.
    @Test func emptyPlaceholderIsDropped() throws {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.sine(frequency: 100, sampleRate: 48000, frames: 480)], to: folder.file("ok.wav"),
                            sampleRate: 48000)
        folder.write("bounce: 1\ntitle: Song\ntracks:\n  b: { stem: ok.wav }\noutput: \"{artist}/{title}.{ext}\"\n",
                     to: "r.yaml")
        let result = try CommandLineTool.run(["render", "r.yaml", "--quiet"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.file("Song.wav").path))
    }
}

/// NaN or infinity coming out of a node is replaced by silence, reported with the node and time, and fails the
/// render unless --allow-nan.
@Suite struct NonFiniteTests {
    @Test func nanInAStemIsCaughtAndReported() throws {
        let folder = TemporaryDirectory()
        var samples = TestAudio.sine(frequency: 440, sampleRate: 48000, frames: 48000, amplitude: 0.3)
        samples[30000] = .nan
        samples[30001] = .infinity
        try TestAudio.write([samples], to: folder.file("bad.wav"), sampleRate: 48000, format: .init(.wav, .float32))
        try TestAudio.write([TestAudio.sine(frequency: 220, sampleRate: 48000, frames: 48000)], to: folder.file("ok.wav"),
                            sampleRate: 48000)
        folder.write("bounce: 1\ntitle: N\ntracks:\n  glitch: { stem: bad.wav }\n  fine: { stem: ok.wav }\n", to: "n.yaml")

        let failed = try CommandLineTool.run(["render", "n.yaml", "--quiet", "--block-size", "1000"], in: folder.url)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("error: glitch.stem produced 2 NaN/infinite samples (first in the block at 0.625 s)"),
                "\(failed.stderr)")
        let allowed = try CommandLineTool.run(["render", "n.yaml", "--quiet", "--allow-nan"], in: folder.url)
        #expect(allowed.status == 0)
        #expect(allowed.stderr.contains("warning: glitch.stem produced 2 NaN/infinite samples"))
        let (channels, _) = try TestAudio.read(folder.file("out/N/mix/N - mix.wav"))
        #expect(channels.allSatisfy { $0.allSatisfy(\.isFinite) })
        // Only the two bad samples were silenced; everything around them is the normal mix (centre pan −3 dB).
        let fine = TestAudio.sine(frequency: 220, sampleRate: 48000, frames: 48000)
        let centre = Float(0.5.squareRoot())
        #expect(abs(channels[0][30000] - centre * fine[30000]) < 1e-5)
        #expect(abs(channels[0][30002] - centre * (fine[30002] + samples[30002])) < 1e-5)
    }
}
