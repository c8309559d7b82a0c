import ArgumentParser
import BounceKit
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure Bounce's speed (use a release build).",
        subcommands: [SessionBench.self, ProcessorsBench.self, DeliveryBench.self])
}

struct ProcessorsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "processors", abstract: "Realtime factor of each processor on stereo 48 kHz, one thread.")

    @Option(help: "Seconds of audio per processor.") var seconds = 30.0
    @Option(help: "Only processors whose name contains this.") var filter: String?

    func run() throws {
        #if DEBUG
        printError("warning: debug build; measure with `swift build -c release`")
        #endif
        print("processor                          × realtime (stereo 48 kHz, 1 thread)")
        for result in ProcessorBenchmark.run(seconds: seconds, filter: filter) {
            print(result.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%12.0f", result.realtimeFactor))
        }
    }
}

struct SessionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Render the synthetic album-N session with --jobs 1 and --jobs N, and the same job with ffmpeg.")

    @Option(help: "Tracks (stereo stems).") var tracks = 32
    @Option(help: "Song length in seconds.") var seconds = 240
    @Option(help: "Jobs for the parallel run (default: all cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Block size.") var blockSize = 4096
    @Flag(help: "Gain/pan/sum only: no processors on tracks, buses or master.") var plain = false
    @Flag(help: "Skip the ffmpeg comparison.") var noFfmpeg = false
    @Flag(help: "Also render a session twice as long and report the peak-RSS growth.") var memory = false
    @Option(help: "Keep the generated session in this folder (default: a temporary folder, removed).") var keep: String?
    @Option(help: "Render each configuration this many times, alternating, and report the median run (this 2-vCPU virtual machine varies by ±15 % from run to run).")
    var runs = 3

    func run() throws {
        #if DEBUG
        printError("warning: debug build; measure with `swift build -c release`")
        #endif
        let bench = SessionBenchmark(tracks: tracks, seconds: seconds, plain: plain)
        print(bench.description)
        let folder = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("bounce-bench-\(getpid())")
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        var clock = Date()
        let recipe = try bench.generate(into: folder)
        print(String(format: "generated stems in %.1f s (not part of the figures below)", Date().timeIntervalSince(clock)))

        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        func render(jobs: Int, recipe: String) throws -> (MeasuredRun, [String: Double]) {
            // Every run starts with nothing left to write back: the generated stems and the previous run's
            // outputs would otherwise be flushed to disk by the kernel while this run is being timed.
            sync()
            let stats = folder.appendingPathComponent("stats-\(jobs).json")
            let run = try MeasuredRun.run(executable, ["render", recipe, "--jobs", "\(jobs)", "--block-size",
                                                       "\(blockSize)", "--quiet", "--stats-json", stats.path])
            guard run.status == 0 else { throw ValidationError("bounce render failed (exit \(run.status))") }
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: stats)) as? [String: Double] ?? [:]
            return (run, object)
        }
        func line(_ label: String, _ run: MeasuredRun, _ stats: [String: Double]) {
            let audio = Double(seconds)
            print(String(format: "%@: wall %.2f s, %.0f× realtime, CPU %.2f s, peak RSS %.0f MB", label,
                         run.wallSeconds, audio / run.wallSeconds, run.cpuSeconds, Double(run.peakRSSBytes) / 1e6))
            print(String(format: "    stages (thread time): decode %.2f s, DSP %.2f s, sum %.2f s, encode %.2f s",
                         stats["decode_s"] ?? 0, stats["dsp_s"] ?? 0, stats["sum_s"] ?? 0, stats["encode_s"] ?? 0))
        }
        // Alternating runs, so a slow spell of the machine falls on both configurations; each line is the
        // median run by wall time, with the range of all runs.
        var serialRuns: [(MeasuredRun, [String: Double])] = [], parallelRuns: [(MeasuredRun, [String: Double])] = []
        for _ in 0..<max(1, runs) {
            serialRuns.append(try render(jobs: 1, recipe: recipe))
            parallelRuns.append(try render(jobs: jobs, recipe: recipe))
        }
        func median(_ runs: [(MeasuredRun, [String: Double])]) -> (MeasuredRun, [String: Double]) {
            runs.sorted { $0.0.wallSeconds < $1.0.wallSeconds }[runs.count / 2]
        }
        func range(_ runs: [(MeasuredRun, [String: Double])]) -> String {
            let walls = runs.map(\.0.wallSeconds)
            return String(format: "    %d runs: wall %.2f … %.2f s", runs.count, walls.min()!, walls.max()!)
        }
        let (serial, serialStats) = median(serialRuns)
        line("bounce --jobs 1", serial, serialStats)
        if runs > 1 { print(range(serialRuns)) }
        let (parallel, parallelStats) = median(parallelRuns)
        line("bounce --jobs \(jobs)", parallel, parallelStats)
        if runs > 1 { print(range(parallelRuns)) }
        print(String(format: "speedup --jobs %d over --jobs 1: %.2f× (medians)", jobs, serial.wallSeconds / parallel.wallSeconds))

        if memory {
            let long = SessionBenchmark(tracks: tracks, seconds: seconds * 2, plain: plain)
            let longFolder = folder.appendingPathComponent("long")
            let longRecipe = try long.generate(into: longFolder)
            let (doubled, _) = try render(jobs: jobs, recipe: longRecipe)
            print(String(format: "memory: %d s peak RSS %.1f MB, %d s peak RSS %.1f MB (%+.1f%%)", seconds,
                         Double(parallel.peakRSSBytes) / 1e6, seconds * 2, Double(doubled.peakRSSBytes) / 1e6,
                         (Double(doubled.peakRSSBytes) / Double(parallel.peakRSSBytes) - 1) * 100))
        }

        guard !noFfmpeg else { return }
        guard let ffmpeg = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first(where: FileManager.default.isExecutableFile) else {
            print("ffmpeg: not installed (apt-get install ffmpeg) — comparison skipped")
            return
        }
        let ffmpegOut = folder.appendingPathComponent("ffmpeg")
        try FileManager.default.createDirectory(at: ffmpegOut, withIntermediateDirectories: true)
        sync()
        clock = Date()
        let peer = try MeasuredRun.run(ffmpeg, bench.ffmpegArguments(folder: folder, outFolder: ffmpegOut))
        guard peer.status == 0 else { throw ValidationError("ffmpeg failed (exit \(peer.status))") }
        print(String(format: "ffmpeg (same tracks, same per-track chain, mix + 4 stems): wall %.2f s, CPU %.2f s, peak RSS %.0f MB",
                     peer.wallSeconds, peer.cpuSeconds, Double(peer.peakRSSBytes) / 1e6))
        print(String(format: "bounce --jobs %d is %.1f× faster than ffmpeg", jobs, peer.wallSeconds / parallel.wallSeconds))
    }
}
