import BounceKit
import Foundation
import TestSupport

/// A demo-like session for delivery tests: the first seconds of the real demo stems (`stems/`, the 44.1 kHz pad
/// included, so one stem is resampled) plus a synthetic stereo "sub" whose lows differ between left and right, mixed
/// through buses with only linear processing (EQ, gain, an algorithmic reverb) and a linear master, so the stems
/// sum to the mix. Track inserts may be nonlinear (kick compressor, bass saturation): stems are taken after them.
///
/// It delivers every preset, an Opus file, a float CD twin (`cd_float`: the CD master before dither) and the
/// unmastered mix (`plain`: 32-bit float, no loudness, no ceiling, no dither).
enum DeliverySession {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let demoStems = ["kick.flac", "snare.flac", "hats.flac", "bass.wav", "chords.flac", "lead.flac", "vox.aiff"]

    /// Expected facts per mastered deliverable: loudness target, true-peak ceiling, format prefix, rate, bit depth.
    struct Expectation: Sendable {
        var loudness: Double?
        var ceiling: Double?
        var format: String
        var sampleRate: Int
        var bitDepth: Int?
        var isPCM: Bool { bitDepth != nil }
    }

    static let expectations: [String: Expectation] = [
        "streaming": Expectation(loudness: -14, ceiling: -1, format: "FLAC 24-bit", sampleRate: 48000, bitDepth: 24),
        "apple": Expectation(loudness: -16, ceiling: -1, format: "WAV 24-bit", sampleRate: 48000, bitDepth: 24),
        "cd": Expectation(loudness: -10, ceiling: -0.3, format: "WAV 16-bit", sampleRate: 44100, bitDepth: 16),
        "cd_float": Expectation(loudness: -10, ceiling: -0.3, format: "WAV 32-bit float", sampleRate: 44100, bitDepth: 32),
        "vinyl": Expectation(loudness: nil, ceiling: -1, format: "WAV 24-bit", sampleRate: 48000, bitDepth: 24),
        "broadcast": Expectation(loudness: -23, ceiling: -1, format: "WAV 24-bit", sampleRate: 48000, bitDepth: 24),
        "preview": Expectation(loudness: -14, ceiling: -1, format: "MP3", sampleRate: 48000, bitDepth: nil),
        "opus": Expectation(loudness: -14, ceiling: -1, format: "Ogg Opus", sampleRate: 48000, bitDepth: nil),
    ]

    static let deliver = """
        deliver:
          streaming: { preset: streaming }
          apple:     { preset: apple_music }
          cd:        { preset: cd, loudness: -10 LUFS }
          cd_float:  { preset: cd, loudness: -10 LUFS, bit_depth: 32f }
          vinyl:     { preset: vinyl }
          broadcast: { preset: broadcast }
          preview:   { preset: mp3 }
          opus:      { format: opus, loudness: -14 LUFS, true_peak: -1 dBTP, bitrate: 160 }
          stems:     { preset: stems }
          plain:     { format: wav, loudness: none, true_peak: none, dither: none, bit_depth: 32f }
        """

    /// Writes `seconds` of every demo stem from song time 16 s (bar 9, where all seven play; the lead's file starts
    /// at 8 s) and the sub into `folder`, and `session.yaml`; returns the recipe path.
    static func write(into folder: TemporaryDirectory, seconds: Double = 6, deliver: String = deliver) throws -> String {
        for name in demoStems {
            let (channels, rate) = try TestAudio.read(packageRoot.appendingPathComponent("stems/\(name)"))
            let start = Int((name == "lead.flac" ? 8.0 : 16.0) * Double(rate))
            let end = min(channels[0].count, start + Int(seconds * Double(rate)))
            try TestAudio.write(channels.map { Array($0[start..<end]) }, to: folder.file(stemFile(name)),
                                sampleRate: rate)
        }
        try TestAudio.write(sub(seconds: seconds), to: folder.file("sub.wav"), sampleRate: 48000)
        return folder.write(recipe + deliver + "\n", to: "session.yaml")
    }

    /// Stems are copied as float WAV (keeping their rate): "chords.flac" → "chords.wav".
    static func stemFile(_ name: String) -> String { (name as NSString).deletingPathExtension + ".wav" }

    /// Decorrelated stereo lows: different bass notes and independent low-passed noise per side, plus a little
    /// mid-range.
    static func sub(seconds: Double) -> [[Float]] {
        let rate = 48000.0, frames = Int(seconds * rate)
        let noise = [TestAudio.noise(frames: frames, amplitude: 1, seed: 31), TestAudio.noise(frames: frames, amplitude: 1, seed: 32)]
        let a = exp(-2 * Double.pi * 90 / rate)
        return (0..<2).map { c in
            var low = 0.0
            return (0..<frames).map { n in
                let t = Double(n) / rate
                low = (1 - a) * Double(noise[c][n]) + a * low
                let note = c == 0 ? sin(2 * .pi * 41.2 * t) : sin(2 * .pi * 61.7 * t + 1)
                let mid = 0.03 * sin(2 * .pi * 523.25 * t)
                return Float(0.25 * note + 2.5 * low + mid)
            }
        }
    }

    static let recipe = """
        bounce: 1
        title: Night Drive
        artist: The Example Band
        album: Examples Vol. 1
        isrc: GB-XXX-26-00001
        year: 2026
        session:
          sample_rate: 48000
          tempo: 120
        tracks:
          kick:
            stem: kick.wav
            gain: -1 dB
            bus: drums
            inserts:
              - compressor: { threshold: -20 dB, ratio: 4, attack: 3 ms, release: 60 ms }
          snare: { stem: snare.wav, gain: -3 dB, pan: R5, bus: drums, sends: { room: -12 dB } }
          hats: { stem: hats.wav, gain: -9 dB, pan: R25, bus: drums }
          bass:
            stem: bass.wav
            gain: -2 dB
            bus: music
            inserts:
              - saturate: { drive: +6 dB, type: tape, mix: 60% }
          chords: { stem: chords.wav, gain: -7 dB, pan: L10, bus: music }
          sub: { stem: sub.wav, gain: -8 dB, bus: music }
          lead: { stem: lead.wav, gain: -6 dB, pan: L25, sends: { room: -15 dB } }
          vox: { stem: vox.wav, gain: -5 dB, pan: R20, sends: { room: -14 dB } }
        buses:
          drums:
            gain: -2 dB
            inserts:
              - eq: [ { type: peak, freq: 350 Hz, gain: -3 dB, q: 2 } ]
          music: { gain: -1 dB }
          room:
            gain: -8 dB
            inserts:
              - reverb: { decay: 1.2 s, predelay: 20 ms, size: 60%, damping: 0.4 }
        master:
          gain: -1 dB
          inserts:
            - eq: [ { type: lowshelf, freq: 80 Hz, gain: +1 dB } ]
        stems_out:
          drums: [drums]
          music: [music]
          lead: [lead]
          vocals: [vox]

        """

    /// One rendered copy of the session.
    final class Rendered: Sendable {
        let folder: TemporaryDirectory
        let recipe: String
        let out: TemporaryDirectory
        let result: DeliveryResult

        init(folder: TemporaryDirectory, recipe: String, jobs: Int) throws {
            self.folder = folder
            self.recipe = recipe
            out = TemporaryDirectory("bounce-delivery-out")
            let prepared = try Bounce.prepare(recipePath: recipe, outDirectory: out.url)
            result = try Bounce.deliver(prepared, options: RenderOptions(outDirectory: out.url, jobs: jobs))
        }

        func file(_ deliverable: String, stem: String? = nil) -> DeliveredFile {
            result.files.first { $0.deliverable == deliverable && $0.stem == stem }!
        }

        /// Every file under the output folder, relative paths in sorted order.
        var writtenFiles: [String] {
            let base = out.url.standardizedFileURL.path
            let enumerator = FileManager.default.enumerator(atPath: base)!
            var paths: [String] = []
            while let path = enumerator.nextObject() as? String {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isFolder), !isFolder.boolValue {
                    paths.append(path)
                }
            }
            return paths.sorted()
        }
    }

    /// The session rendered once with `jobs: 2`, shared by the tests that only read it.
    static let shared: Result<Rendered, any Error> = Result {
        let folder = TemporaryDirectory("bounce-delivery")
        return try Rendered(folder: folder, recipe: try write(into: folder), jobs: 2)
    }
}
