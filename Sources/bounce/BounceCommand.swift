import ArgumentParser
import BounceKit
import Foundation

@main
struct BounceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounce",
        abstract: "Render music sessions from text recipes.",
        version: Bounce.version,
        subcommands: [RenderCommand.self, CheckCommand.self, GraphCommand.self, SectionsCommand.self, BenchCommand.self,
                      AnalyzeCommand.self]
    )
}

/// Prints diagnostics to stderr and exits non-zero when any is an error.
func report(_ diagnostics: [Diagnostic]) throws {
    for diagnostic in diagnostics { printError(diagnostic.description) }
    let errors = diagnostics.filter { $0.severity == .error }.count
    if errors > 0 {
        printError("\(errors) error\(errors == 1 ? "" : "s")")
        throw ExitCode.failure
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a recipe and its stems without rendering; report every problem.")

    @Argument(help: "The recipe file.") var recipe: String

    func run() throws {
        let diagnostics = Bounce.check(recipePath: recipe)
        try report(diagnostics)
        print("\(recipe): ok")
    }
}

struct SectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sections",
        abstract: "Print the resolved timeline: each section's start, end and length in bars, clock time and samples.")

    @Argument(help: "The recipe file.") var recipe: String

    func run() throws {
        do {
            let prepared = try Bounce.prepare(recipePath: recipe)
            for warning in prepared.warnings { printError(warning.description) }
            print(SectionsTable.text(prepared.recipe), terminator: "")
        } catch {
            try report(error.diagnostics)
        }
    }
}

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Print the compiled render graph (Graphviz DOT, or JSON).")

    @Argument(help: "The recipe file.") var recipe: String
    @Flag(help: "Print JSON instead of DOT.") var json = false
    @Option(help: "The arrangement to compile (default: full).") var arrangement: String?
    @Option(help: "The mix variant to compile (default: main).") var mix: String?

    func run() throws {
        do {
            let prepared = try Bounce.prepare(recipePath: recipe, arrangement: arrangement, mix: mix)
            print(json ? prepared.plan.json : prepared.plan.dot, terminator: "")
        } catch {
            try report(error.diagnostics)
        }
    }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a recipe's deliverables (without deliver: the mix and stem groups, 24-bit WAV).")

    @Argument(help: "The recipe file.") var recipe: String
    @Option(help: "Write everything under this folder instead of the recipe's folder.") var out: String?
    @Option(help: "Frames per processing block (output is identical for any size).") var blockSize = 4096
    @Option(help: "Threads to render with (default: all cores). Output is identical for any value.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Render only these deliverables (comma-separated names from `deliver:`).") var only: String?
    @Option(help: "Render every output from this arrangement (default: each deliverable's, else full).")
    var arrangement: String?
    @Option(help: "Render every output from this mix variant (default: each deliverable's, else main).")
    var mix: String?
    @Flag(help: "Print nothing but errors.") var quiet = false
    @Flag(help: "Finish with exit status 0 even if a node produced NaN or infinite samples (they become silence).")
    var allowNan = false
    @Option(help: ArgumentHelp("Write timing figures as JSON to this file (used by bench).", visibility: .hidden))
    var statsJson: String?

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 256") }
        guard (1...1_048_576).contains(blockSize) else {
            throw ValidationError("--block-size must be between 1 and 1048576")
        }
    }

    func run() throws {
        InterruptHandler.install()
        var options = RenderOptions(blockSize: blockSize,
                                    outDirectory: out.map { URL(fileURLWithPath: $0, isDirectory: true) }, jobs: jobs)
        let progress = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        options.progress = { progress.update($0) }
        let clock = ContinuousClock()
        let started = clock.now
        let result: RenderResult
        do {
            let prepared = try Bounce.prepare(recipePath: recipe, outDirectory: options.outDirectory,
                                              arrangement: arrangement, mix: mix)
            if !prepared.recipe.deliverables.isEmpty {
                let names = only?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let delivery = try Bounce.deliver(prepared, options: options, only: names)
                progress.finish()
                try reportDelivery(delivery, started: started, clock: clock)
                return
            }
            if only != nil {
                throw RecipeError([Diagnostic(at: nil, "--only needs a recipe with 'deliver:' entries")])
            }
            result = try Bounce.render(prepared, options: options)
        } catch let error as RecipeError {
            try report(error.diagnostics)
            return
        } catch let exit as ExitCode {
            throw exit  // reportDelivery has already said why
        } catch {
            printError("\(recipe): \(error)")
            throw ExitCode.failure
        }
        let elapsed = clock.now - started
        progress.finish()
        for warning in result.warnings { printError(warning.description) }
        for problem in result.report.nonFinite {
            printError("\(allowNan ? "warning" : "error"): \(problem.node) produced \(problem.samples) NaN/infinite "
                       + "samples (first in the block at " + String(format: "%.3f s", problem.firstSeconds)
                       + "); they were replaced by silence" + (allowNan ? "" : " (--allow-nan accepts this)"))
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if !quiet {
            for file in result.files {
                let duration = Double(file.frames) / Double(file.sampleRate)
                let peak = file.samplePeak > 0 ? String(format: "%.2f dBFS", 20 * log10(Double(file.samplePeak))) : "silent"
                print("\(file.deliverable): \(file.url.path)")
                print("  \(file.format), \(file.sampleRate) Hz, " + String(format: "%.3f s", duration)
                      + ", sample peak \(peak)")
                if file.clippedSamples > 0 {
                    print("  warning: \(file.clippedSamples) samples above full scale were clipped; lower the master gain")
                }
            }
            let duration = Double(result.report.frames) / Double(result.files.first?.sampleRate ?? 1)
            print(String(format: "rendered %.1f s of audio in %.2f s (%.0f× realtime)", duration, seconds,
                         duration / max(seconds, 1e-9)))
        }
        if let statsJson {
            let timings = result.report.timings
            let stats: [String: Double] = ["wall_s": seconds, "decode_s": timings.decode, "dsp_s": timings.dsp,
                                           "sum_s": timings.sum, "encode_s": result.encodeSeconds,
                                           "audio_s": Double(result.report.frames) / Double(result.files.first?.sampleRate ?? 1)]
            let data = try JSONSerialization.data(withJSONObject: stats, options: [.sortedKeys])
            try data.write(to: URL(fileURLWithPath: statsJson))
        }
        if !result.report.nonFinite.isEmpty && !allowNan { throw ExitCode.failure }
    }

    /// The summary table (deliverable, file, LUFS-I, LRA, TP, format, pass/fail) and the exit status.
    func reportDelivery(_ delivery: DeliveryResult, started: ContinuousClock.Instant, clock: ContinuousClock) throws {
        for warning in delivery.warnings { printError(warning.description) }
        for problem in delivery.report.nonFinite {
            printError("\(allowNan ? "warning" : "error"): \(problem.node) produced \(problem.samples) NaN/infinite "
                       + "samples (first in the block at " + String(format: "%.3f s", problem.firstSeconds)
                       + "); they were replaced by silence" + (allowNan ? "" : " (--allow-nan accepts this)"))
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if !quiet {
            func db(_ x: Double) -> String { x.isFinite ? String(format: "%6.1f", x) : "  -inf" }
            print("deliverable       LUFS-I   LRA     TP  format                    result  file")
            for file in delivery.files {
                let name = file.deliverable + (file.stem.map { "/\($0)" } ?? "")
                let a = file.analysis
                let format = "\(a.format) \(a.sampleRate / 1000).\(a.sampleRate % 1000 / 100) kHz"
                print(name.padding(toLength: 16, withPad: " ", startingAt: 0) + " " + db(a.loudness.integratedLUFS)
                      + " " + String(format: "%5.1f", a.loudness.loudnessRangeLU) + " " + db(a.loudness.truePeakDBTP)
                      + "  " + format.padding(toLength: 24, withPad: " ", startingAt: 0)
                      + (file.passed ? "  pass  " : (file.failsRender ? "  FAIL  " : "  warn  ")) + file.url.path)
            }
            print("manifest: \(delivery.manifest.path)")
            let audio = Double(delivery.report.frames) / Double(delivery.files.first?.analysis.sampleRate ?? 48000)
            print(String(format: "rendered and mastered %.1f s of audio into %d files in %.2f s", audio,
                         delivery.files.count, seconds))
        }
        for file in delivery.files {
            for warning in file.warnings { printError("warning: \(file.deliverable): \(warning) (\(file.url.lastPathComponent))") }
        }
        for file in delivery.files where !file.passed {
            let kind = file.failsRender ? "error" : "warning"
            for problem in file.problems {
                printError("\(kind): \(file.deliverable)\(file.stem.map { "/\($0)" } ?? ""): \(problem) (\(file.url.lastPathComponent))")
            }
        }
        if delivery.failed || (!delivery.report.nonFinite.isEmpty && !allowNan) { throw ExitCode.failure }
    }
}

/// A live progress line on stderr (only on a terminal): audio time done, realtime factor, ETA.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let start = DispatchTime.now().uptimeNanoseconds
    private lazy var lastDraw: UInt64 = start
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: RenderProgress) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 100_000_000 || progress.framesDone == progress.framesTotal else { return }
        lastDraw = now
        let wall = Double(now - start) / 1e9
        let done = Double(progress.framesDone) / Double(progress.sampleRate)
        let total = Double(progress.framesTotal) / Double(progress.sampleRate)
        let factor = done / max(wall, 1e-6)
        let eta = factor > 0 ? (total - done) / factor : 0
        let what = progress.outputs == 1 ? "mix" : "mix + \(progress.outputs - 1) stem\(progress.outputs == 2 ? "" : "s")"
        let line = String(format: "\r\u{1B}[Krendering %@: %.1f / %.1f s  %.0f× realtime  ETA %.1f s",
                          what, done, total, factor, eta)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// On SIGINT/SIGTERM: remove the temporary files being written, then exit. Finished outputs stay intact.
enum InterruptHandler {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                TemporaryFiles.shared.removeAll()
                FileHandle.standardError.write(Data("\ninterrupted: no partial files were left\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
