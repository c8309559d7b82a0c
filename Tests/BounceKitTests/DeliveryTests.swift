import BounceKit
import Foundation
import Testing
import TestSupport

// The delivery claims of the mastering-and-delivery issue, proven on files Bounce wrote and read back here. The
// session (`DeliverySession`) is a few seconds of the demo stems; it is rendered once and shared.

private func session() throws -> DeliverySession.Rendered { try DeliverySession.shared.get() }

private func dB(_ power: Double) -> Double { 10 * log10(power) }

/// Mean, variance and correlation with `signal` of `error`.
private func statistics(_ error: [Double], _ signal: [Double]) -> (mean: Double, variance: Double, correlation: Double) {
    let n = Double(error.count)
    let mean = error.reduce(0, +) / n, signalMean = signal.reduce(0, +) / n
    var variance = 0.0, signalVariance = 0.0, covariance = 0.0
    for (e, x) in zip(error, signal) {
        variance += (e - mean) * (e - mean)
        signalVariance += (x - signalMean) * (x - signalMean)
        covariance += (e - mean) * (x - signalMean)
    }
    return (mean, variance / n, covariance / (variance * signalVariance).squareRoot())
}

/// `sha256sum` of each path, run as a separate program.
func sha256sum(_ paths: [String]) throws -> [String: String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = paths
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    var result: [String: String] = [:]
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: " ", maxSplits: 1)
        result[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
    }
    return result
}

@Suite("Delivery: every preset from a demo-like session")
struct DeliveryTests {
    /// Loudness ±0.5 LU (PCM files ±0.1 LU, and the master before encoding ±0.1 LU), true peak ≤ ceiling.
    @Test("Each mastered file meets its target as measured from the file; format, rate and bit depth as asked")
    func presetsMeetTargets() throws {
        let s = try session()
        let plainFrames = s.file("plain").analysis.frames
        for (name, expected) in DeliverySession.expectations.sorted(by: { $0.key < $1.key }) {
            let file = s.file(name)
            let a = try Bounce.analyze(path: file.url.path)  // decoded and measured again, independently
            #expect(a.loudness == file.analysis.loudness, "\(name): the delivery measured the file it wrote")
            #expect(a.sampleRate == expected.sampleRate, "\(name)")
            #expect(a.channels == 2, "\(name)")
            #expect(a.bitDepth == expected.bitDepth, "\(name)")
            #expect(expected.isPCM ? a.format == expected.format : a.format.hasPrefix(expected.format),
                    "\(name): \(a.format)")
            if let target = expected.loudness {
                let tolerance = expected.isPCM ? 0.1 : 0.5
                #expect(abs(a.loudness.integratedLUFS - target) <= tolerance,
                        "\(name): \(a.loudness.integratedLUFS) LUFS for \(target)")
                if expected.isPCM, let mastered = file.masteredLUFS {
                    #expect(abs(mastered - target) <= 0.1, "\(name): master before encoding \(mastered) LUFS")
                } else if expected.isPCM {
                    Issue.record("\(name): no loudness of the master before encoding")
                }
            }
            if let ceiling = expected.ceiling {
                #expect(a.loudness.truePeakDBTP <= ceiling, "\(name): true peak \(a.loudness.truePeakDBTP) dBTP")
            }
            #expect(file.passed, "\(name): \(file.problems)")
            #expect((1...8).contains(file.passes), "\(name): \(file.passes) passes")
            if expected.isPCM && expected.sampleRate == 48000 {
                #expect(a.frames == plainFrames, "\(name): same length as the mix")
            }
        }
        #expect(s.file("vinyl").limiterReduction == 0, "vinyl: no brickwall limiting")
        #expect(!s.result.failed)
    }

    @Test("CD: 44.1 kHz 16-bit, a whole number of 588-frame sectors, CUE sheet with ISRC and INDEX 01 00:00:00")
    func cd() throws {
        let s = try session()
        let file = s.file("cd")
        #expect(file.analysis.sampleRate == 44100)
        #expect(file.analysis.bitDepth == 16)
        #expect(file.analysis.frames % 588 == 0, "\(file.analysis.frames) frames")
        let cue = try #require(file.cueSheet)
        #expect(cue.deletingLastPathComponent() == file.url.deletingLastPathComponent())
        #expect(cue.lastPathComponent == "Night Drive - cd.cue")
        let text = try String(contentsOf: cue, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.contains("FILE \"Night Drive - cd.wav\" WAVE"))
        #expect(lines.contains("  TRACK 01 AUDIO"))
        #expect(lines.contains("    ISRC GBXXX2600001"))
        #expect(lines.contains("    INDEX 01 00:00:00"))
        #expect(lines.contains("PERFORMER \"The Example Band\""))
    }

    /// The 16-bit file minus the same master in float is the dither error: mean ≈ 0, variance 1/4 LSB² ±10 %.
    @Test("CD dither: TPDF error statistics, uncorrelated with the music")
    func cdDither() throws {
        let s = try session()
        #expect(s.file("cd").attempts == s.file("cd_float").attempts)
        let sixteen = try TestAudio.read(s.file("cd").url).channels
        let float = try TestAudio.read(s.file("cd_float").url).channels
        try #require(sixteen[0].count == float[0].count)
        for c in 0..<2 {
            let signal = float[c].map { Double($0) * 32768 }
            let error = zip(sixteen[c], signal).map { Double($0) * 32768 - $1 }
            let (mean, variance, correlation) = statistics(error, signal)
            #expect(abs(mean) < 0.01, "mean \(mean) LSB")
            #expect(abs(variance - 0.25) <= 0.025, "variance \(variance) LSB²")
            #expect(abs(correlation) < 0.01, "correlation \(correlation)")
            let wide = Double(error.filter { abs($0) > 0.5 }.count) / Double(error.count)
            #expect(wide > 0.2, "fraction of errors beyond ½ LSB: \(wide) (0 for plain rounding)")
        }
    }

    @Test("Vinyl: the side channel below 150 Hz is ≥ 60 dB under the mix's, no limiting, peak ≤ −1 dBTP")
    func vinylLowsAreMono() throws {
        let s = try session()
        let vinyl = try TestAudio.read(s.file("vinyl").url).channels
        let mix = try TestAudio.read(s.file("plain").url).channels
        func side(_ c: [[Float]]) -> [Double] { zip(c[0], c[1]).map { 0.5 * (Double($0) - Double($1)) } }
        func mid(_ c: [[Float]]) -> [Double] { zip(c[0], c[1]).map { 0.5 * (Double($0) + Double($1)) } }
        let segment = 1 << 15  // 1.46 Hz bins
        let sideIn = SpectralPower.welch(side(mix), segment: segment)
        let sideOut = SpectralPower.welch(side(vinyl), segment: segment)
        let midIn = SpectralPower.welch(mid(mix), segment: segment)
        let midOut = SpectralPower.welch(mid(vinyl), segment: segment)
        func band(_ p: [Double], _ low: Double, _ high: Double) -> Double {
            SpectralPower.band(p, sampleRate: 48000, from: low, to: high)
        }
        // The vinyl master's gain, from the mid above the lows (mid passes unchanged but for that gain).
        let gain = band(midOut, 300, 3000) / band(midIn, 300, 3000)
        // The session really has a wide low end: side below 150 Hz within 20 dB of the mid there.
        let width = dB(band(sideIn, 0, 150) / band(midIn, 0, 150))
        #expect(width > -20, "input side vs mid below 150 Hz: \(width) dB")
        let lows = dB(band(sideOut, 0, 150) / (band(sideIn, 0, 150) * gain))
        #expect(lows <= -60, "side below 150 Hz, vinyl vs mix: \(lows) dB")
        // Above a third of an octave up, the side is kept (only the master's gain changes it).
        let highs = dB(band(sideOut, 300, 16000) / (band(sideIn, 300, 16000) * gain))
        #expect(abs(highs) < 0.1, "side above 300 Hz: \(highs) dB")
        #expect(s.file("vinyl").analysis.loudness.truePeakDBTP <= -1)
    }

    @Test("MP3 and Opus: the decoded true peak is at or below the ceiling")
    func lossyTruePeak() throws {
        let s = try session()
        for name in ["preview", "opus"] {
            let file = s.file(name)
            let peak = file.analysis.loudness.truePeakDBTP
            #expect(peak <= -1, "\(name): \(peak) dBTP after \(file.attempts) encodes")
            #expect(file.passed, "\(name): \(file.problems)")
        }
    }

    @Test("Stems: the four groups sum to the unmastered mix within −90 dBFS, same length and start")
    func stemsSumToMix() throws {
        let s = try session()
        let mix = try TestAudio.read(s.file("plain").url).channels
        let stems = try ["drums", "music", "lead", "vocals"].map { try TestAudio.read(s.file("stems", stem: $0).url).channels }
        var worst = 0.0
        for stem in stems { try #require(stem[0].count == mix[0].count) }
        for c in 0..<2 {
            for i in mix[c].indices {
                var sum = 0.0
                for stem in stems { sum += Double(stem[c][i]) }
                worst = max(worst, abs(sum - Double(mix[c][i])))
            }
        }
        #expect(20 * log10(worst) < -90, "largest difference \(20 * log10(worst)) dBFS")
        for stem in ["drums", "music", "lead", "vocals"] {
            let file = s.file("stems", stem: stem)
            #expect(file.analysis.bitDepth == 24 && file.analysis.sampleRate == 48000)
            #expect(file.url.lastPathComponent == "Night Drive - stems - \(stem).wav")
        }
    }

    @Test("Manifest: JSON with the recipe hash and every file's SHA-256 (checked with sha256sum), no timestamps")
    func manifest() throws {
        let s = try session()
        let data = try Data(contentsOf: s.result.manifest)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(json.keys) == ["bounce_version", "recipe", "recipe_sha256", "files"])
        #expect(json["bounce_version"] as? String == Bounce.version)
        #expect(json["recipe"] as? String == "session.yaml")
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == s.result.files.count)
        let folder = s.result.manifest.deletingLastPathComponent().path
        let paths = files.compactMap { $0["file"] as? String }.map { folder + "/" + $0 }
        let sums = try sha256sum(paths + [s.recipe])
        #expect(json["recipe_sha256"] as? String == sums[s.recipe])
        let keys: Set<String> = ["deliverable", "stem", "file", "sha256", "format", "sample_rate", "bit_depth", "channels",
                                 "frames", "duration_s", "integrated_lufs", "loudness_range_lu", "true_peak_dbtp",
                                 "sample_peak_dbfs", "target", "passes", "pass", "problems"]
        for (entry, path) in zip(files, paths) {
            #expect(Set(entry.keys).isSubset(of: keys), "\(entry.keys)")
            #expect(entry["sha256"] as? String == sums[path], "\(path)")
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(entry["pass"] as? Bool == true)
        }
        // Nothing that changes from run to run: no dates, times or absolute paths.
        let text = String(decoding: data, as: UTF8.self)
        for word in ["time", "date", "created", s.out.url.path, "/tmp"] {
            #expect(!text.contains(word), "manifest contains '\(word)'")
        }
    }
}

/// Rendering again, with 2 jobs and with 1, gives the same bytes in every file: PCM (dithered included), FLAC, MP3,
/// Opus, CUE and the manifest.
@Suite("Delivery: reproducible bytes", .serialized)
struct DeliveryReproducibilityTests {
    @Test("Every file, including MP3 and Opus, is byte-identical across renders and job counts")
    func identicalBytes() throws {
        let first = try session()
        for jobs in [2, 1] {
            let again = try DeliverySession.Rendered(folder: first.folder, recipe: first.recipe, jobs: jobs)
            #expect(again.writtenFiles == first.writtenFiles)
            #expect(first.writtenFiles.count == 16, "\(first.writtenFiles)")
            var differing: [String] = []
            for path in first.writtenFiles {
                let a = try Data(contentsOf: first.out.url.appendingPathComponent(path))
                let b = try Data(contentsOf: again.out.url.appendingPathComponent(path))
                if a != b { differing.append(path) }
            }
            #expect(differing.isEmpty, "jobs \(jobs): files that differ: \(differing)")
        }
    }
}
