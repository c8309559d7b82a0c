import AudioIO
import BounceKit
import Foundation
import Testing
import TestSupport

// Cross-check of `bounce analyze` against ffmpeg's `ebur128` filter, an independent implementation (its own K-filter
// constants, histogram gating, and true peak from libswresample's 192 kHz upsampling rather than libebur128's 49-tap
// interpolator), on realistic signals. Agreement required: integrated loudness 0.1 LU, true peak 0.2 dB,
// loudness range 0.5 LU.
//
// ffmpeg's summary rounds to 0.1, so the numbers compared are the last frame's `metadata=1` values (3 decimals, the
// same state as the summary, which is checked to round to them). ffmpeg's meter only runs at 48 kHz: other rates
// are resampled to 48 kHz by ffmpeg before measuring, which is part of what the 44.1 kHz case compares.

/// ffmpeg's final readings of one file.
struct FFmpegLoudness {
    var integrated: Double, range: Double, truePeak: Double
    var summaryIntegrated: Double, summaryTruePeak: Double
}

enum FFmpeg {
    /// The `ffmpeg` on PATH, if any.
    static var executable: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("ffmpeg") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func measure(_ file: URL, ffmpeg: URL) throws -> FFmpegLoudness {
        let metadata = file.deletingPathExtension().appendingPathExtension("r128.txt")
        let process = Process()
        process.executableURL = ffmpeg
        process.arguments = ["-nostats", "-hide_banner", "-i", file.path, "-filter_complex",
                             "ebur128=peak=true:framelog=verbose:metadata=1,ametadata=mode=print:file=\(metadata.path)",
                             "-f", "null", "-"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure("ffmpeg failed on \(file.lastPathComponent):\n\(log)") }
        // ffmpeg may build the graph twice and print an empty summary first: the last one is the measurement.
        guard let summaryStart = log.range(of: "Summary:", options: .backwards) else { throw Failure("no summary:\n\(log)") }
        let summary = log[summaryStart.upperBound...]
        let lines = try String(contentsOf: metadata, encoding: .utf8).split(separator: "\n")
        func last(_ key: String) throws -> Double {
            guard let line = lines.last(where: { $0.hasPrefix("lavfi.r128.\(key)=") }),
                  let value = Double(line.split(separator: "=")[1]) else { throw Failure("no \(key) in ffmpeg metadata") }
            return value
        }
        func summaryValue(_ label: String) throws -> Double {
            guard let line = summary.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }),
                  let value = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])
            else { throw Failure("no \(label) in ffmpeg summary") }
            return value
        }
        return FFmpegLoudness(integrated: try last("I"), range: try last("LRA"),
                              truePeak: 20 * log10(try last("true_peak")),
                              summaryIntegrated: try summaryValue("I:"), summaryTruePeak: try summaryValue("Peak:"))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// Realistic test programmes, synthesised deterministically.
enum Programmes {
    /// One-pole low-passed noise (a darker, music-like spectrum) plus 80 Hz, 440 Hz and 2.5 kHz sines, under a slow
    /// swell of about 9 dB so the loudness range is not zero. Stereo, channels decorrelated.
    static func noiseAndTones(sampleRate: Int, seconds: Double) -> [[Float]] {
        let frames = Int(seconds * Double(sampleRate))
        return (0..<2).map { channel in
            let noise = TestAudio.noise(frames: frames, amplitude: 0.5, seed: UInt64(11 + channel))
            var low: Double = 0
            let coefficient = exp(-2 * Double.pi * 1500 / Double(sampleRate))
            return (0..<frames).map { n in
                let t = Double(n) / Double(sampleRate)
                low = coefficient * low + (1 - coefficient) * Double(noise[n])
                let tones = 0.12 * sin(2 * .pi * 80 * t) + 0.06 * sin(2 * .pi * 440 * t + Double(channel))
                    + 0.03 * sin(2 * .pi * 2500 * t)
                let swell = 0.35 + 0.65 * pow(sin(.pi * t / 7), 2)
                return Float(swell * (1.6 * low + tones))
            }
        }
    }

    /// A 120 BPM drum pattern: kick (pitch-dropping sine) on every beat, noise snare on 2 and 4, high-passed noise
    /// hats on eighths panned right, every fourth bar silent (a gated, transient-rich programme), normalised to a
    /// −1 dBFS sample peak.
    static func drums(sampleRate: Int, seconds: Double) -> [[Float]] {
        let frames = Int(seconds * Double(sampleRate))
        let rate = Double(sampleRate)
        // A recording's bandwidth: white noise would put full energy up to Nyquist, where true-peak interpolators
        // differ by more than 0.2 dB (docs/delivery.md, "True peak near Nyquist").
        let noise = TestFilters.lowpass(TestAudio.noise(frames: frames, amplitude: 1, seed: 5).map(Double.init), cutoff: 16_000,
                            sampleRate: sampleRate)
        let highpass = exp(-2 * Double.pi * 6000 / rate)
        var left = [Double](repeating: 0, count: frames), right = left
        var hatState = 0.0
        let eighth = Int(0.25 * rate)
        for n in 0..<frames {
            let step = n / eighth, t = Double(n % eighth) / rate
            hatState = highpass * (hatState + noise[n] - (n > 0 ? noise[n - 1] : 0))
            guard (step / 8) % 4 != 3 else { continue }
            let beatTime = Double(n % (2 * eighth)) / rate
            let kick = exp(-9 * beatTime) * sin(2 * .pi * (45 * beatTime + 12 * (1 - exp(-30 * beatTime))))
            let snare = step % 4 == 2 ? 0.5 * exp(-22 * t) * noise[n] : 0
            let hat = 0.3 * exp(-70 * t) * hatState
            left[n] = kick + snare + 0.3 * hat
            right[n] = kick + snare + hat
        }
        let scale = pow(10, -1.0 / 20) / (left + right).map(abs).max()!
        return [left.map { Float($0 * scale) }, right.map { Float($0 * scale) }]
    }

    /// A "mastered" version of `noiseAndTones`: driven into a hard clip at 0.98, so inter-sample peaks exceed the
    /// sample peak.
    static func clipped(sampleRate: Int, seconds: Double) -> [[Float]] {
        noiseAndTones(sampleRate: sampleRate, seconds: seconds).map { $0.map { max(-0.98, min(0.98, 2.2 * $0)) } }
    }
}

@Suite("bounce analyze agrees with ffmpeg ebur128")
struct FFmpegCrossCheckTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String, sampleRate: Int, format: AudioFileFormat, mono: Bool
        var make: @Sendable (Int) -> [[Float]]
        var testDescription: String { "\(name), \(sampleRate) Hz, \(format)\(mono ? ", mono" : "")" }
    }

    static let cases = [
        Case(name: "noise and tones", sampleRate: 48_000, format: AudioFileFormat(.wav, .float32), mono: false) {
            Programmes.noiseAndTones(sampleRate: $0, seconds: 20)
        },
        Case(name: "noise and tones (ffmpeg resamples to 48 kHz)", sampleRate: 44_100,
             format: AudioFileFormat(.flac, .pcm24), mono: false) { Programmes.noiseAndTones(sampleRate: $0, seconds: 20) },
        Case(name: "drum pattern", sampleRate: 48_000, format: AudioFileFormat(.wav, .pcm24), mono: false) {
            Programmes.drums(sampleRate: $0, seconds: 16)
        },
        Case(name: "drum pattern", sampleRate: 48_000, format: AudioFileFormat(.wav, .pcm16), mono: true) {
            Programmes.drums(sampleRate: $0, seconds: 16)
        },
        Case(name: "clipped master (inter-sample peaks)", sampleRate: 48_000, format: AudioFileFormat(.wav, .pcm24),
             mono: false) { Programmes.clipped(sampleRate: $0, seconds: 12) },
    ]

    @Test("integrated within 0.1 LU, true peak within 0.2 dB, LRA within 0.5 LU", arguments: cases)
    func agrees(with signal: Case) throws {
        guard let ffmpeg = FFmpeg.executable else {
            Issue.record("ffmpeg is not installed: this cross-check needs it (Debian/Ubuntu: apt-get install ffmpeg)")
            return
        }
        let folder = TemporaryDirectory("bounce-ffmpeg")
        let url = folder.file("programme.\(signal.format.fileExtension)")
        var channels = signal.make(signal.sampleRate)
        if signal.mono { channels = [channels[0]] }
        try TestAudio.write(channels, to: url, sampleRate: signal.sampleRate, format: signal.format)
        let ours = try Bounce.analyze(path: url.path).loudness
        let theirs = try FFmpeg.measure(url, ffmpeg: ffmpeg)
        #expect(abs(theirs.summaryIntegrated - theirs.integrated) <= 0.051, "ffmpeg summary vs its metadata")
        #expect(abs(theirs.summaryTruePeak - theirs.truePeak) <= 0.06, "ffmpeg summary vs its metadata")
        expectLevel(ours.integratedLUFS, theirs.integrated, within: 0.1, "I vs ffmpeg")
        expectLevel(ours.truePeakDBTP, theirs.truePeak, within: 0.2, "TP vs ffmpeg")
        expectLevel(ours.loudnessRangeLU, theirs.range, within: 0.5, "LRA vs ffmpeg")
    }
}
