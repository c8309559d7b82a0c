import AudioIO
import DSP
import Engine
import Foundation
import Recipe
import RenderGraph

/// The façade: recipe file → validated recipe → plan → rendered files. The CLI and tests use only this.
public enum Bounce {
    public static let version = "0.1.0"

    /// A recipe that passed every check, with its plan and the stem facts it was compiled from.
    public struct Prepared: Sendable {
        public var recipe: Recipe
        /// The plan of the selected arrangement and mix (`--arrangement`, `--mix`; default `full` and `main`).
        public var plan: RenderPlan
        public var naming: OutputNaming
        /// Warnings found while checking (errors would have thrown).
        public var warnings: [Diagnostic]
        /// The command line's choice of arrangement and mix, overriding every deliverable's (nil: as written).
        public var arrangementOverride: String?
        public var mixOverride: String?
        /// Stem and IR facts, to compile the plans of other arrangements and mixes.
        var stems: [StemInfo] = []
        var impulseResponses: [String: ImpulseResponseFile] = [:]

        /// The plan for a selection (compiled on demand; pure).
        public func plan(for selection: RenderSelection) -> RenderPlan {
            if selection.key == defaultSelection.key { return plan }
            return RenderGraphCompiler.compile(recipe, stems: stems, impulseResponses: impulseResponses,
                                               selection: selection)
        }

        var defaultSelection: RenderSelection {
            RenderSelection.named(arrangementOverride ?? "full", mix: mixOverride ?? "main", in: recipe)
        }
    }

    /// Placeholders with a value for the main mix.
    static let mixPlaceholders: Set<String> = ["title", "artist", "album", "year", "deliverable", "ext", "mix", "stem",
                                               "arrangement", "side"]

    /// Parses, validates, probes every stem file and compiles. Throws all problems at once, in file order.
    /// - Parameter outDirectory: where outputs go (`--out`); default: the recipe's folder.
    public static func prepare(recipePath: String, outDirectory: URL? = nil, arrangement: String? = nil,
                               mix: String? = nil) throws(RecipeError) -> Prepared {
        let (parsed, parseDiagnostics) = RecipeParser.analyse(path: recipePath)
        guard let recipe = parsed else { throw RecipeError(parseDiagnostics) }
        var diagnostics = parseDiagnostics
        let arrangements = ["full"] + recipe.arrangements.map(\.name.value)
        if let arrangement, !arrangements.contains(arrangement) {
            diagnostics.append(Diagnostic(at: nil, "--arrangement: no arrangement named '\(arrangement)'"
                                          + Suggestions.hint(for: arrangement, in: arrangements)
                                          + "; arrangements: " + arrangements.joined(separator: ", ")))
        }
        let mixes = ["main"] + recipe.mixes.map(\.name.value)
        if let mix, !mixes.contains(mix) {
            diagnostics.append(Diagnostic(at: nil, "--mix: no mix named '\(mix)'" + Suggestions.hint(for: mix, in: mixes)
                                          + "; mixes: " + mixes.joined(separator: ", ")))
        }
        var stems: [StemInfo] = []
        for track in recipe.tracks {
            // A missing file is already reported by the recipe's own checks.
            guard FileManager.default.isReadableFile(atPath: track.stemURL.path) else {
                stems.append(StemInfo(channels: 1, sampleRate: recipe.session.sampleRate, frames: 0))
                continue
            }
            do {
                let reader = try AudioFileReader(path: track.stemURL.path)
                defer { reader.close() }
                if reader.channels > 2 {
                    diagnostics.append(Diagnostic(at: track.stem.location,
                                                  "stem '\(track.stem.value)' has \(reader.channels) channels: "
                                                  + "Bounce reads mono and stereo stems (split it into mono or stereo files)"))
                }
                stems.append(StemInfo(channels: reader.channels, sampleRate: reader.sampleRate, frames: reader.frames))
            } catch {
                diagnostics.append(Diagnostic(at: track.stem.location, "stem '\(track.stem.value)': \(error.reason)"))
                stems.append(StemInfo(channels: 1, sampleRate: recipe.session.sampleRate, frames: 0))
            }
        }
        let impulseResponses = probeImpulseResponses(recipe, diagnostics: &diagnostics)
        diagnostics += sectionDiagnostics(recipe, stems: stems)
        let naming = OutputNaming(template: recipe.output, base: outDirectory ?? recipe.directory)
        let templateProblems = naming.diagnostics(available: mixPlaceholders)
        diagnostics += templateProblems
        if !templateProblems.contains(where: { $0.severity == .error }) {
            do {
                _ = try naming.url(values: placeholderValues(recipe, deliverable: "mix", ext: mixFormat.fileExtension))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        diagnostics = RecipeParser.sorted(diagnostics)
        if diagnostics.contains(where: { $0.severity == .error }) { throw RecipeError(diagnostics) }
        let selection = RenderSelection.named(arrangement ?? "full", mix: mix ?? "main", in: recipe)
        let plan = RenderGraphCompiler.compile(recipe, stems: stems, impulseResponses: impulseResponses,
                                               selection: selection)
        if plan.length == 0 {
            let location = recipe.tracks.first?.name.location
            throw RecipeError([Diagnostic(at: location, "nothing to render: every track is muted or ends before the timeline starts")])
        }
        return Prepared(recipe: recipe, plan: plan, naming: naming, warnings: diagnostics, arrangementOverride: arrangement,
                        mixOverride: mix, stems: stems, impulseResponses: impulseResponses)
    }

    /// Sections must lie on the timeline the stems cover: one that starts at or after the end of the last stem is
    /// an error; one that runs past it is a warning (that part plays silence).
    static func sectionDiagnostics(_ recipe: Recipe, stems: [StemInfo]) -> [Diagnostic] {
        let rate = recipe.session.sampleRate
        let end = zip(recipe.tracks, stems).map { track, info in
            track.offsetFrames + RenderGraphCompiler.sessionFrames(info.frames, from: info.sampleRate, to: rate)
        }.max() ?? 0
        func clock(_ frames: Int64) -> String { SectionsTable.clock(frames, sampleRate: rate) }
        var result: [Diagnostic] = []
        for section in recipe.sections {
            if section.start >= end {
                result.append(Diagnostic(at: section.name.location,
                                         "section '\(section.name.value)' starts at \(clock(section.start)), after the "
                                         + "stems end (\(clock(end))): it is outside the session"))
            } else if section.end > end {
                result.append(Diagnostic(.warning, at: section.name.location,
                                         "section '\(section.name.value)' ends at \(clock(section.end)), "
                                         + "\(clock(section.end - end)) after the stems end (\(clock(end))): that part is silent"))
            }
        }
        return result
    }

    /// Every problem with a recipe, without rendering (`bounce check`).
    public static func check(recipePath: String) -> [Diagnostic] {
        do {
            return try prepare(recipePath: recipePath).warnings
        } catch {
            return error.diagnostics
        }
    }

    /// Values for the output template's placeholders.
    static func placeholderValues(_ recipe: Recipe, deliverable: String, stem: String? = nil, ext: String,
                                  arrangement: String = "full", mix: String = "main", side: String? = nil)
        -> [String: String] {
        let metadata = recipe.metadata
        return ["title": metadata.title, "artist": metadata.artist ?? "", "album": metadata.album ?? "",
                "year": metadata.year.map(String.init) ?? "", "deliverable": deliverable, "ext": ext,
                "mix": mix, "arrangement": arrangement, "stem": stem ?? "", "side": side ?? ""]
    }
}

@_exported import struct Recipe.Diagnostic
@_exported import struct Recipe.RecipeError
@_exported import struct AudioIO.AudioFileFormat
@_exported import class AudioIO.TemporaryFiles
