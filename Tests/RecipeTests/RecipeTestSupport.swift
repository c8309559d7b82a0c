import Foundation
import Recipe
import TestSupport

/// A temporary recipe folder holding a few tiny "stem" files.
///
/// The recipe layer only checks that stems exist and are readable files, so a few bytes stand in for audio.
/// The folder is removed when the value is released.
final class StemFolder: Sendable {
    static let stemNames = ["kick.wav", "snare.wav", "bass.wav", "vox.wav"]

    let temporary: TemporaryDirectory

    init() {
        temporary = TemporaryDirectory("recipe-tests")
        for name in Self.stemNames { temporary.write("RIFF", to: name) }
        // A folder where a stem file is expected, and a stems sub-folder for `session.stems`.
        try! FileManager.default.createDirectory(at: temporary.file("loops"), withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(at: temporary.file("stems"), withIntermediateDirectories: true)
        temporary.write("RIFF", to: "stems/hats.wav")
        temporary.write("RIFF", to: "stems/kick.wav")
    }

    var url: URL { temporary.url }

    /// The folder's path as the validator prints it (stem URLs are standardised).
    var path: String { url.standardizedFileURL.path }

    /// Parses `yaml` as `song.yaml` in this folder.
    func parse(_ yaml: String) throws(RecipeError) -> Recipe {
        try RecipeParser.parse(yaml: yaml, file: "song.yaml", directory: url)
    }

    /// Every diagnostic for `yaml` as `line:column: severity: message` (empty when the recipe is valid).
    func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try parse(yaml)
            return []
        } catch {
            return error.diagnostics.map(\.compact)
        }
    }
}

extension Diagnostic {
    /// `line:column: error: message`, without the file name.
    var compact: String {
        let place = location.map { "\($0.line):\($0.column): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}
