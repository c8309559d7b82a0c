import AudioIO
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
        public var plan: RenderPlan
        public var naming: OutputNaming
        /// Warnings found while checking (errors would have thrown).
        public var warnings: [Diagnostic]
    }

    /// Placeholders with a value for the main mix.
    static let mixPlaceholders: Set<String> = ["title", "artist", "album", "year", "deliverable", "ext", "mix", "stem",
                                               "arrangement"]

    /// Parses, validates, probes every stem file and compiles. Throws all problems at once, in file order.
    /// - Parameter outDirectory: where outputs go (`--out`); default: the recipe's folder.
    public static func prepare(recipePath: String, outDirectory: URL? = nil) throws(RecipeError) -> Prepared {
        let (parsed, parseDiagnostics) = RecipeParser.analyse(path: recipePath)
        guard let recipe = parsed else { throw RecipeError(parseDiagnostics) }
        var diagnostics = parseDiagnostics
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
        let plan = RenderGraphCompiler.compile(recipe, stems: stems, impulseResponses: impulseResponses)
        if plan.length == 0 {
            let location = recipe.tracks.first?.name.location
            throw RecipeError([Diagnostic(at: location, "nothing to render: every track is muted or ends before the timeline starts")])
        }
        return Prepared(recipe: recipe, plan: plan, naming: naming, warnings: diagnostics)
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
    static func placeholderValues(_ recipe: Recipe, deliverable: String, stem: String? = nil, ext: String)
        -> [String: String] {
        let metadata = recipe.metadata
        return ["title": metadata.title, "artist": metadata.artist ?? "", "album": metadata.album ?? "",
                "year": metadata.year.map(String.init) ?? "", "deliverable": deliverable, "ext": ext,
                "mix": "main", "arrangement": "full", "stem": stem ?? ""]
    }
}

@_exported import struct Recipe.Diagnostic
@_exported import struct Recipe.RecipeError
@_exported import struct AudioIO.AudioFileFormat
@_exported import class AudioIO.TemporaryFiles
