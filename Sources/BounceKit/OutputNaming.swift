import Foundation
import Recipe

/// Turns the recipe's `output` template into a file path under the output folder.
///
/// Placeholder values are made safe for file names ('/' and ':' become '-'), and the result must stay inside the
/// base folder: a template can never write elsewhere.
public struct OutputNaming: Sendable {
    /// Placeholders the template may use, and what they mean for the main mix.
    public static let placeholders = ["title", "artist", "album", "year", "deliverable", "ext", "mix", "arrangement",
                                      "stem", "side"]

    public let template: Located<String>
    public let base: URL

    public init(template: Located<String>, base: URL) {
        self.template = template
        self.base = base.standardizedFileURL
    }

    /// Problems with the template itself (unknown placeholders, absolute paths, unbalanced braces).
    public func diagnostics(available: Set<String>) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let text = template.value
        if text.hasPrefix("/") || text.hasPrefix("~") {
            problems.append(Diagnostic(at: template.location,
                                       "'output' must be a relative path (it is placed under the recipe's folder or --out)"))
        }
        guard let names = try? Self.placeholderNames(in: text) else {
            problems.append(Diagnostic(at: template.location, "'output' has an unbalanced '{' or '}'"))
            return problems
        }
        for name in names where !available.contains(name) {
            if Self.placeholders.contains(name) {
                problems.append(Diagnostic(at: template.location,
                                           "'output' uses {\(name)}, which has no value here"))
            } else {
                problems.append(Diagnostic(at: template.location, "'output' uses unknown placeholder {\(name)}"
                                           + Suggestions.hint(for: name, in: Self.placeholders)))
            }
        }
        let lastComponent = text.split(separator: "/").last.map(String.init) ?? text
        if !lastComponent.contains("{ext}") && !lastComponent.contains(".") {
            problems.append(Diagnostic(.warning, at: template.location,
                                       "'output' has no file extension: add '.{ext}' so files are named after their format"))
        }
        return problems
    }

    /// The file URL for these placeholder values; throws if it would leave the base folder.
    /// - Parameter appending: a stem group name; when the template has no `{stem}`, " - group" is added to the
    ///   file name (before its extension) so that stem files never overwrite each other or the mix.
    public func url(values: [String: String], appending stem: String? = nil,
                    distinguishing: [String] = []) throws(RecipeError) -> URL {
        var text = template.value
        // Placeholders whose value tells files apart (a stem group, an arrangement, a mix, a vinyl side) are added
        // to the file name when the template lacks them.
        var suffixes = distinguishing.compactMap { name -> String? in
            guard let value = values[name], !value.isEmpty, !text.contains("{\(name)}") else { return nil }
            return value
        }
        if let stem, !text.contains("{stem}") { suffixes.append(stem) }
        for suffix in suffixes {
            let name = text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
            let folder = String(text.dropLast(name.count))
            if let dot = name.lastIndex(of: ".") {
                text = folder + name[..<dot] + " - " + Self.escape(suffix) + name[dot...]
            } else {
                text = folder + name + " - " + Self.escape(suffix)
            }
        }
        var path = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            path += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            path += Self.safe(values[name] ?? "")
            rest = rest[rest.index(after: close)...]
        }
        path += rest
        // An empty placeholder ({artist} with no artist) leaves an empty folder name: drop it rather than write
        // to the file system's root or a folder named "".
        path = path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        let url = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
        guard url.path.hasPrefix(base.path + "/") else {
            throw RecipeError([Diagnostic(at: template.location,
                                          "'output' resolves to \(url.path), outside the output folder \(base.path)")])
        }
        return url
    }

    /// A literal value inserted into a template: braces would read as placeholders, '/' as folders.
    static func escape(_ value: String) -> String {
        safe(value).replacingOccurrences(of: "{", with: "(").replacingOccurrences(of: "}", with: ")")
    }

    static func placeholderNames(in text: String) throws -> [String] {
        var names: [String] = []
        var current: String?
        for character in text {
            switch character {
            case "{":
                guard current == nil else { throw CocoaError(.formatting) }
                current = ""
            case "}":
                guard let name = current else { throw CocoaError(.formatting) }
                names.append(name)
                current = nil
            default:
                current?.append(character)
            }
        }
        guard current == nil else { throw CocoaError(.formatting) }
        return names
    }

    /// A placeholder value as a single path component.
    static func safe(_ value: String) -> String {
        var result = value.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ":", with: "-")
            .replacingOccurrences(of: "\0", with: "").trimmingCharacters(in: .whitespaces)
        if result == "." || result == ".." { result = "_" }
        return result
    }
}
