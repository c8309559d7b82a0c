import ArgumentParser
import BounceKit
import Foundation

/// `bounce bench delivery`: one synthetic song mastered to every preset. First with one job, so each
/// deliverable's figures are its own (wall time of mastering + dither + encoding + decoding and measuring), then
/// all presets in one command with N jobs, the way `bounce render` runs them; the two runs' manifests must match.
struct DeliveryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delivery",
        abstract: "Master a synthetic song to every delivery preset: wall time, passes, limiting, measured LUFS/TP.")

    @Option(help: "Tracks (stereo stems) in the generated session.") var tracks = 4
    @Option(help: "Song length in seconds.") var seconds = 240
    @Option(help: "Jobs for the all-presets run (default: all cores).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Keep the generated session and outputs in this folder (default: a temporary folder, removed).")
    var keep: String?

    static let deliver = """
        deliver:
          streaming:   { preset: streaming }
          apple_music: { preset: apple_music }
          cd:          { preset: cd, loudness: -10 LUFS }
          vinyl:       { preset: vinyl }
          broadcast:   { preset: broadcast }
          mp3:         { preset: mp3 }
          opus:        { format: opus, loudness: -14 LUFS, true_peak: -1 dBTP }
          stems:       { preset: stems }
        """

    func run() throws {
        #if DEBUG
        printError("warning: debug build; measure with `swift build -c release`")
        #endif
        let bench = SessionBenchmark(tracks: tracks, seconds: seconds)
        print(bench.description)
        let folder = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("bounce-bench-delivery-\(getpid())")
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        let recipe = try bench.generate(into: folder)
        let text = try String(contentsOfFile: recipe, encoding: .utf8)
        try (text + Self.deliver + "\n").write(toFile: recipe, atomically: true, encoding: .utf8)

        func deliver(jobs: Int, into out: String) throws -> (DeliveryResult, Double) {
            let outURL = folder.appendingPathComponent(out, isDirectory: true)
            let prepared: Bounce.Prepared
            do {
                prepared = try Bounce.prepare(recipePath: recipe, outDirectory: outURL)
            } catch {
                throw ValidationError(error.description)
            }
            let started = DispatchTime.now().uptimeNanoseconds
            let result = try Bounce.deliver(prepared, options: RenderOptions(outDirectory: outURL, jobs: jobs))
            return (result, Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        }

        let (serial, serialWall) = try deliver(jobs: 1, into: "jobs-1")
        print("\nper deliverable (--jobs 1; wall = master + dither + encode + decode and measure, all attempts):")
        print("deliverable   wall s  passes  encodes  limiter dB  LUFS-I      TP  format")
        var mastered = 0.0
        for file in serial.files where file.stem == nil {
            let a = file.analysis
            mastered += file.seconds
            print(file.deliverable.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: " %7.2f  %6d  %7d  %10.2f  %6.2f  %6.2f  ", file.seconds, file.passes, file.attempts,
                           max(0, file.limiterReduction), a.loudness.integratedLUFS, a.loudness.truePeakDBTP)
                  + a.format + (file.passed ? "" : "  (misses: \(file.problems.joined(separator: "; ")))"))
        }
        let stems = serial.files.filter { $0.stem != nil }.count
        print(String(format: "render (mix + %d stems streamed to disk) and manifest: %.2f s; total %.2f s",
                     stems, serialWall - mastered, serialWall))

        let (parallel, parallelWall) = try deliver(jobs: jobs, into: "jobs-\(jobs)")
        print(String(format: "\nall presets in one command, --jobs %d: %.2f s for %d files (%.0f× realtime per song)",
                     jobs, parallelWall, parallel.files.count, Double(seconds) / parallelWall))
        let same = try Data(contentsOf: serial.manifest) == Data(contentsOf: parallel.manifest)
        print("manifests of --jobs 1 and --jobs \(jobs) (every file's SHA-256): " + (same ? "identical" : "DIFFERENT"))
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak RSS of this process: %.0f MB", Double(usage.ru_maxrss) / 1024))
        if !same { throw ExitCode.failure }
    }
}
