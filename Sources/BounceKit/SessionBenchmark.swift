import AudioIO
import Foundation
import Recipe

/// The "album-N" benchmark session: N stereo stems of synthetic but musically shaped material (drums, bass,
/// chords, leads, vocals-like lines on a 120 BPM grid), a recipe with per-track EQ and compressor (when those
/// processors exist), 4 buses, 2 send effects, a master chain and 4 stem groups, plus the equivalent ffmpeg job.
public struct SessionBenchmark: Sendable {
    public var tracks: Int
    public var seconds: Int
    public var sampleRate: Int
    /// Gain/pan/sum only: no inserts on tracks, buses or master.
    public var plain: Bool

    public init(tracks: Int = 32, seconds: Int = 240, sampleRate: Int = 48000, plain: Bool = false) {
        self.tracks = tracks
        self.seconds = seconds
        self.sampleRate = sampleRate
        self.plain = plain
    }

    static let groups = ["drums", "bass", "music", "vox"]

    func role(of track: Int) -> String { Self.groups[track * Self.groups.count / tracks] }

    /// Which optional processors the recipe may use (the library grows over time).
    static func has(_ processor: String) -> Bool { ProcessorCatalog.schema(named: processor) != nil }

    public var description: String {
        var chain = plain ? "gain/pan only" : [Self.has("eq") ? "4-band EQ" : nil, Self.has("compressor") ? "compressor" : nil]
            .compactMap { $0 }.joined(separator: " + ")
        if chain.isEmpty { chain = "gain/pan only (no EQ/compressor in this build)" }
        return "album-\(tracks): \(tracks) stereo stems × \(seconds) s, \(sampleRate / 1000) kHz 24-bit; per track: \(chain); "
            + "4 buses, 2 sends, master chain; outputs: mix + 4 stem groups"
    }

    /// Writes the stems and `session.yaml` into `folder`; returns the recipe path.
    public func generate(into folder: URL) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bar = sampleRate * 2  // one 4/4 bar at 120 BPM
        let bars = (seconds * sampleRate + bar - 1) / bar
        var interleaved = [Float](repeating: 0, count: bar * 2)
        for track in 0..<tracks {
            let pattern = Self.pattern(role: role(of: track), variant: track, frames: bar, sampleRate: sampleRate)
            let url = folder.appendingPathComponent(String(format: "t%02d.wav", track))
            let writer = try AudioFileWriter(url: url, format: AudioFileFormat(.wav, .pcm24), channels: 2,
                                             sampleRate: sampleRate)
            var remaining = seconds * sampleRate
            for index in 0..<bars where remaining > 0 {
                // A slow per-bar level drift so the material is not a perfect loop.
                let drift = Float(1 + 0.15 * sin(Double(index) * 0.7 + Double(track)))
                for i in 0..<bar {
                    interleaved[2 * i] = pattern.0[i] * drift
                    interleaved[2 * i + 1] = pattern.1[i] * drift
                }
                let n = min(bar, remaining)
                try interleaved.withUnsafeBufferPointer { try writer.write($0.baseAddress!, frames: n) }
                remaining -= n
            }
            try writer.commit()
        }
        let recipe = folder.appendingPathComponent("session.yaml")
        try recipeText().write(to: recipe, atomically: true, encoding: .utf8)
        return recipe.path
    }

    /// One bar of a role's part, stereo.
    static func pattern(role: String, variant: Int, frames: Int, sampleRate: Int) -> ([Float], [Float]) {
        var left = [Float](repeating: 0, count: frames), right = left
        let rate = Double(sampleRate)
        var seed = UInt64(variant + 1) &* 0x9E3779B97F4A7C15
        func noise() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(Int64(bitPattern: seed) >> 11) / Double(1 << 52)
        }
        let chords: [[Double]] = [[220, 261.63, 329.63], [174.61, 220, 261.63], [261.63, 329.63, 392], [196, 246.94, 293.66]]
        let beat = frames / 4
        for i in 0..<frames {
            let t = Double(i) / rate
            let inBeat = Double(i % beat) / rate
            var l = 0.0, r = 0.0
            switch role {
            case "drums":
                switch variant % 4 {
                case 0: let env = exp(-inBeat * 18); l = 0.8 * env * sin(2 * .pi * (50 + 90 * exp(-inBeat * 30)) * inBeat); r = l
                case 1: let on = (i / beat) % 2 == 1; let env = on ? exp(-inBeat * 25) : 0; l = env * (0.5 * noise() + 0.3 * sin(2 * .pi * 180 * t)); r = env * 0.5 * noise() + 0.3 * env * sin(2 * .pi * 180 * t)
                case 2: let e = exp(-Double(i % (beat / 2)) / rate * 60); l = 0.3 * e * noise(); r = 0.3 * e * noise()
                default: let e = exp(-inBeat * 8); l = 0.25 * e * sin(2 * .pi * 110 * t) + 0.05 * noise(); r = 0.25 * e * sin(2 * .pi * 98 * t) + 0.05 * noise()
                }
            case "bass":
                let f = chords[(i / beat) % 4][0] / 4 * Double(1 + variant % 2)
                let env = 0.6 + 0.4 * exp(-inBeat * 6)
                l = 0.5 * env * (sin(2 * .pi * f * t) + 0.3 * sin(4 * .pi * f * t)); r = l
            case "music":
                let chord = chords[(i / beat) % 4]
                for (k, f) in chord.enumerated() {
                    let detune = 1 + 0.002 * Double(variant % 3 + 1)
                    l += 0.12 * sin(2 * .pi * f * Double(1 + variant % 2) * t + Double(k))
                    r += 0.12 * sin(2 * .pi * f * detune * Double(1 + variant % 2) * t + Double(k) * 1.3)
                }
            default:
                let melody: [Double] = [440, 523.25, 587.33, 659.25, 587.33, 523.25, 493.88, 440]
                let f = melody[(i * 8 / frames + variant) % 8]
                let vibrato = 1 + 0.004 * sin(2 * .pi * 5.5 * t)
                let env = min(1, inBeat * 20) * 0.35
                let x = env * (sin(2 * .pi * f * vibrato * t) + 0.4 * sin(4 * .pi * f * vibrato * t) + 0.15 * sin(6 * .pi * f * t))
                l = x * 0.9; r = x
            }
            left[i] = Float(l * 0.7)
            right[i] = Float(r * 0.7)
        }
        return (left, right)
    }

    func recipeText() -> String {
        let eq = !plain && Self.has("eq"), comp = !plain && Self.has("compressor")
        let reverb = !plain && Self.has("reverb"), delay = !plain && Self.has("delay"), limiter = !plain && Self.has("limiter")
        var lines = ["bounce: 1", "title: Album \(tracks)", "session:", "  sample_rate: \(sampleRate)", "  tempo: 120",
                     "tracks:"]
        for track in 0..<tracks {
            let group = role(of: track)
            let pan = Double((track * 37) % 21 - 10) / 10
            lines.append(String(format: "  t%02d:", track))
            lines.append(String(format: "    stem: t%02d.wav", track))
            lines.append("    gain: \(-(track % 7)) dB")
            lines.append("    pan: \(pan)")
            lines.append("    bus: \(group)")
            lines.append("    sends: { verb: \(-12 - track % 9) dB, echo: \(-18 - track % 5) dB }")
            if eq || comp {
                lines.append("    inserts:")
                if eq {
                    lines.append("      - eq:")
                    lines.append("          - { type: highpass, freq: \(30 + track) Hz }")
                    lines.append("          - { type: lowshelf, freq: 120 Hz, gain: \(track % 3 - 1) dB }")
                    lines.append("          - { type: peak, freq: \(400 + 37 * track) Hz, gain: -2 dB, q: 1.4 }")
                    lines.append("          - { type: highshelf, freq: 8 kHz, gain: +1.5 dB }")
                }
                if comp {
                    lines.append("      - compressor: { threshold: -18 dB, ratio: 3, attack: 10 ms, release: 120 ms, knee: 6 dB }")
                }
            }
        }
        lines.append("buses:")
        for group in Self.groups {
            lines.append("  \(group): { gain: -2 dB }")
        }
        lines.append("  verb:")
        lines.append("    gain: -6 dB")
        if reverb { lines.append("    inserts: [ { reverb: { decay: 1.8 s, predelay: 20 ms, mix: 100% } } ]") }
        lines.append("  echo:")
        lines.append("    gain: -8 dB")
        if delay { lines.append("    inserts: [ { delay: { time: 1/8., feedback: 35%, mix: 100% } } ]") }
        lines.append("master:")
        lines.append("  gain: -6 dB")
        if eq || comp || limiter {
            lines.append("  inserts:")
            if eq { lines.append("    - eq: [ { type: lowshelf, freq: 80 Hz, gain: +1 dB } ]") }
            if comp { lines.append("    - compressor: { threshold: -10 dB, ratio: 1.5, attack: 30 ms, release: 200 ms }") }
            if limiter { lines.append("    - limiter: { ceiling: -1 dB }") }
        }
        lines.append("stems_out:")
        for group in Self.groups { lines.append("  \(group): [\(group)]") }
        lines.append("output: \"out/{deliverable}/{title} - {deliverable}.{ext}\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same job as one ffmpeg filter graph: per-track volume, pan, the same EQ bands and compressor, then
    /// amix (normalize=0) into the mix and into each stem group, written as 24-bit WAV.
    public func ffmpegArguments(folder: URL, outFolder: URL) -> [String] {
        let eq = !plain && Self.has("eq"), comp = !plain && Self.has("compressor")
        var arguments = ["-hide_banner", "-loglevel", "error", "-y"]
        for track in 0..<tracks {
            arguments += ["-i", folder.appendingPathComponent(String(format: "t%02d.wav", track)).path]
        }
        var graph: [String] = []
        var groupInputs = [String: [String]]()
        var mixInputs: [String] = []
        for track in 0..<tracks {
            let pan = Double((track * 37) % 21 - 10) / 10
            let theta = (pan + 1) * Double.pi / 4
            var chain = "[\(track):a]volume=\(-(track % 7))dB,pan=stereo|c0=\(cos(theta))*c0|c1=\(sin(theta))*c1"
            if eq {
                chain += ",highpass=f=\(30 + track):p=2"
                chain += ",lowshelf=f=120:g=\(track % 3 - 1)"
                chain += ",equalizer=f=\(400 + 37 * track):t=q:w=1.4:g=-2"
                chain += ",highshelf=f=8000:g=1.5"
            }
            if comp { chain += ",acompressor=threshold=0.125893:ratio=3:attack=10:release=120:knee=2" }
            chain += ",asplit=2[m\(track)][s\(track)]"
            graph.append(chain)
            mixInputs.append("[m\(track)]")
            groupInputs[role(of: track), default: []].append("[s\(track)]")
        }
        graph.append(mixInputs.joined() + "amix=inputs=\(tracks):normalize=0,volume=-8dB[mix]")
        for group in Self.groups {
            let inputs = groupInputs[group] ?? []
            graph.append(inputs.joined() + "amix=inputs=\(inputs.count):normalize=0,volume=-8dB[\(group)]")
        }
        arguments += ["-filter_complex", graph.joined(separator: ";")]
        arguments += ["-map", "[mix]", "-c:a", "pcm_s24le", outFolder.appendingPathComponent("mix.wav").path]
        for group in Self.groups {
            arguments += ["-map", "[\(group)]", "-c:a", "pcm_s24le", outFolder.appendingPathComponent("\(group).wav").path]
        }
        return arguments
    }
}

/// Runs a command as a child process and measures it the way `time -v` does.
public struct MeasuredRun: Sendable {
    public var status: Int32
    public var wallSeconds: Double
    public var cpuSeconds: Double
    public var peakRSSBytes: Int

    public static func run(_ executable: String, _ arguments: [String]) throws -> MeasuredRun {
        var pid: pid_t = 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let started = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw RenderError(message: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        let wall = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return MeasuredRun(status: exited, wallSeconds: wall, cpuSeconds: cpu, peakRSSBytes: Int(usage.ru_maxrss) * 1024)
    }
}
