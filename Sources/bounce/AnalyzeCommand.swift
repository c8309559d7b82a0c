import ArgumentParser
import BounceKit
import Foundation

/// `bounce analyze FILE… [--json]`: format and loudness of audio files. Every file is analysed even when one fails;
/// the exit status is 1 if any failed.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Measure audio files: integrated loudness, loudness range, true peak, format (EBU R 128).")

    @Argument(help: "The audio files.") var files: [String]
    @Flag(help: "Print one JSON object per file and line (JSON Lines) instead of text.") var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one audio file") }
    }

    func run() throws {
        var failed = false
        for (index, file) in files.enumerated() {
            do {
                let analysis = try Bounce.analyze(path: file)
                if json {
                    print(analysis.jsonLine)
                } else {
                    if index > 0 { print() }
                    print(Self.text(analysis), terminator: "")
                }
            } catch {
                printError("error: \(error)")
                failed = true
            }
            fflush(nil)  // keep stdout and stderr in file order when both go to one terminal
        }
        if failed { throw ExitCode.failure }
    }

    /// The human-readable block for one file.
    static func text(_ analysis: FileAnalysis) -> String {
        let loudness = analysis.loudness
        func level(_ value: Double, _ unit: String) -> String {
            (value.isFinite ? String(format: "%.2f", value) : "-inf") + " " + unit
        }
        let rows: [(String, String)] = [
            ("integrated", level(loudness.integratedLUFS, "LUFS")),
            ("loudness range", String(format: "%.2f LU", loudness.loudnessRangeLU)),
            ("true peak", level(loudness.truePeakDBTP, "dBTP")),
            ("sample peak", level(loudness.samplePeakDBFS, "dBFS")),
            ("momentary max", level(loudness.momentaryMaxLUFS, "LUFS")),
            ("short-term max", level(loudness.shortTermMaxLUFS, "LUFS")),
            ("duration", String(format: "%.3f s", analysis.durationSeconds)),
            ("sample rate", "\(analysis.sampleRate) Hz"),
            ("channels", "\(analysis.channels)"),
            ("bit depth", analysis.bitDepth.map(String.init) ?? "n/a (lossy)"),
            ("format", analysis.format),
        ]
        var text = "\(analysis.file)\n"
        for (label, value) in rows {
            text += "  " + label.padding(toLength: 16, withPad: " ", startingAt: 0) + value + "\n"
        }
        return text
    }
}
