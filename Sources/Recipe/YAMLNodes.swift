import Yams

/// Reading Yams nodes with locations; every problem goes into the bag and reading carries on.
struct NodeReader {
    let file: String
    let bag: DiagnosticBag

    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// The node's text if it is a scalar; reports a type error naming `key` otherwise.
    func scalar(_ node: Node, key: String) -> String? {
        if case .scalar(let scalar) = node { return scalar.string }
        bag.error("'\(key)' must be a single value, found \(kind(of: node))", at: location(node))
        return nil
    }

    func mapping(_ node: Node, key: String) -> MappingNode? {
        if case .mapping(let mapping) = node { return MappingNode(mapping: mapping, node: node, reader: self) }
        bag.error("'\(key)' must be a mapping of keys to values, found \(kind(of: node))", at: location(node))
        return nil
    }

    /// A scalar parsed with one of the `Units` parsers; errors carry the value's location.
    func parse<T>(_ node: Node, key: String, _ parser: (String) throws(ValueError) -> T) -> T? {
        guard let text = scalar(node, key: key) else { return nil }
        do {
            return try parser(text)
        } catch {
            bag.error("\(key): \(error.message)", at: location(node))
            return nil
        }
    }

    func bool(_ node: Node, key: String) -> Bool? {
        guard let text = scalar(node, key: key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            bag.error("'\(key)' must be true or false, found '\(text)'", at: location(node))
            return nil
        }
    }

    func integer(_ node: Node, key: String, range: ClosedRange<Int>) -> Int? {
        guard let text = scalar(node, key: key) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            bag.error("'\(key)' must be a whole number, found '\(text)'", at: location(node))
            return nil
        }
        guard range.contains(value) else {
            bag.error("'\(key)' is out of range: \(value) is not within \(range.lowerBound)…\(range.upperBound)",
                      at: location(node))
            return nil
        }
        return value
    }

    func kind(of node: Node) -> String {
        switch node {
        case .scalar: return "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// A YAML mapping in declaration order, with unknown-key checking.
struct MappingNode {
    let mapping: Node.Mapping
    let node: Node
    let reader: NodeReader

    /// Keys with their nodes, in the order written.
    var entries: [(key: String, keyNode: Node, value: Node)] {
        mapping.map { pair in (pair.key.string ?? "", pair.key, pair.value) }
    }

    subscript(key: String) -> Node? {
        mapping.first { $0.key.string == key }?.value
    }

    /// Reports keys that are neither known nor reserved; reserved keys get "not supported yet".
    func checkKeys(in context: String, known: [String], notYetSupported: [String: String] = [:]) {
        let candidates = known + notYetSupported.keys.sorted()
        for (key, keyNode, _) in entries {
            if known.contains(key) { continue }
            if let feature = notYetSupported[key] {
                reader.bag.error("'\(key)' \(context) is not supported yet (\(feature)); remove it to render",
                                 at: reader.location(keyNode))
                continue
            }
            reader.bag.error("unknown key '\(key)' \(context)" + Suggestions.hint(for: key, in: candidates),
                             at: reader.location(keyNode))
        }
    }

    /// Reports a required key that is missing, at the mapping's own location.
    func require(_ key: String, in context: String) -> Node? {
        if let value = self[key] { return value }
        reader.bag.error("missing required key '\(key)' \(context)", at: reader.location(node))
        return nil
    }
}
