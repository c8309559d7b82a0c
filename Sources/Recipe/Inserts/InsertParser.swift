import Foundation
import Yams

/// Reads `inserts:` lists against the processor catalog.
struct InsertParser {
    let reader: NodeReader
    let session: Session
    let directory: URL

    var bag: DiagnosticBag { reader.bag }

    /// `inserts: [ { compressor: { … } }, { eq: [ … ] }, polarity ]`
    func inserts(_ node: Node, owner: String) -> [Insert] {
        guard case .sequence(let sequence) = node else {
            bag.error("'inserts' must be a list of processors, e.g. '- compressor: { threshold: -18 dB }'",
                      at: reader.location(node))
            return []
        }
        return sequence.compactMap { insert($0, owner: owner) }
    }

    private func insert(_ node: Node, owner: String) -> Insert? {
        let nameNode: Node, value: Node?
        switch node {
        case .scalar:
            nameNode = node
            value = nil
        case .mapping(let mapping):
            guard mapping.count == 1, let pair = mapping.first else {
                bag.error("each insert is one processor, written '- name: { parameters }'", at: reader.location(node))
                return nil
            }
            nameNode = pair.key
            value = pair.value
        default:
            bag.error("each insert is one processor, written '- name: { parameters }'", at: reader.location(node))
            return nil
        }
        let name = nameNode.string ?? ""
        guard let schema = ProcessorCatalog.schema(named: name) else {
            bag.error("unknown processor '\(name)' in '\(owner)'"
                      + Suggestions.hint(for: name, in: ProcessorCatalog.all.map(\.name)), at: reader.location(nameNode))
            return nil
        }
        var insert = Insert(processor: Located(name, at: reader.location(nameNode)), id: nil, bypass: false,
                            parameters: [:], locations: [:], bands: [], sidechain: nil)
        let context = "in '\(name)' on '\(owner)'"
        var written: [String: Node] = [:]

        switch value {
        case nil:
            break
        case .sequence? where schema.bandParameters != nil:
            insert.bands = bands(value!, schema: schema, context: context)
        case .mapping(let mapping)?:
            let map = MappingNode(mapping: mapping, node: value!, reader: reader)
            var known = schema.parameters.map(\.key) + ["bypass", "id"]
            if schema.acceptsSidechain { known.append("sidechain") }
            if schema.bandParameters != nil { known.append("bands") }
            map.checkKeys(in: context, known: known)
            for (key, keyNode, valueNode) in map.entries {
                switch key {
                case "bypass": insert.bypass = reader.bool(valueNode, key: "bypass") ?? false
                case "id":
                    if let id = reader.scalar(valueNode, key: "id") {
                        if id.isEmpty || id.contains(".") || id.contains(" ") {
                            bag.error("'id' must be one word without dots or spaces (automation addresses it as 'id.parameter')",
                                      at: reader.location(valueNode))
                        } else {
                            insert.id = id
                        }
                    }
                case "sidechain":
                    if let text = reader.scalar(valueNode, key: "sidechain") {
                        insert.sidechain = Located(text, at: reader.location(valueNode))
                    }
                case "bands": insert.bands = bands(valueNode, schema: schema, context: context)
                default:
                    written[key] = valueNode
                    insert.locations[key] = reader.location(keyNode)
                }
            }
        case .scalar?:
            if let shorthand = schema.shorthandParameter {
                written[shorthand] = value!
                insert.locations[shorthand] = reader.location(value!)
            } else {
                bag.error("'\(name)' takes a mapping of parameters, e.g. '- \(name): { … }'", at: reader.location(value!))
                return nil
            }
        default:
            bag.error("'\(name)' takes a mapping of parameters" + (schema.bandParameters != nil ? " or a list of bands" : ""),
                      at: reader.location(value!))
            return nil
        }

        insert.parameters = parameters(schema.parameters, written: written, context: context,
                                       location: reader.location(value ?? nameNode))
        if let crossCheck = schema.crossCheck {
            for problem in crossCheck(written.compactMapValues(\.string), insert.parameters) {
                let node = problem.atValue ? written[problem.key] : nil
                bag.error(problem.message, at: node.map(reader.location) ?? insert.locations[problem.key]
                          ?? reader.location(nameNode))
            }
        }
        if schema.bandParameters != nil, insert.bands.isEmpty, value != nil, case .sequence? = value {
            bag.error("'\(name)' needs at least one band", at: reader.location(value!))
        }
        return insert
    }

    private func bands(_ node: Node, schema: ProcessorSchema, context: String) -> [[String: ParameterValue]] {
        guard case .sequence(let sequence) = node else {
            bag.error("'bands' must be a list of bands, e.g. '- { type: peak, freq: 1 kHz, gain: -3 dB }'",
                      at: reader.location(node))
            return []
        }
        var result: [[String: ParameterValue]] = []
        for (index, bandNode) in sequence.enumerated() {
            guard let map = reader.mapping(bandNode, key: "band \(index + 1)") else { continue }
            let bandContext = "in band \(index + 1) \(context)"
            map.checkKeys(in: bandContext, known: schema.bandParameters!.map(\.key))
            var written: [String: Node] = [:]
            for (key, _, value) in map.entries { written[key] = value }
            let band = parameters(schema.bandParameters!, written: written, context: bandContext,
                                  location: reader.location(bandNode))
            // Cross-field rules only judge bands whose written values all parsed (no follow-on errors).
            let parsed = schema.bandParameters!.allSatisfy { written[$0.key] == nil || band[$0.key] != nil }
            if parsed, let problem = ProcessorCatalog.checkBand(band) {
                bag.error("\(problem) \(bandContext)", at: reader.location(bandNode))
            }
            result.append(band)
        }
        return result
    }

    /// Parses written values by schema; fills defaults; reports missing required ones.
    private func parameters(_ schemas: [ParameterSchema], written: [String: Node], context: String,
                            location: SourceLocation) -> [String: ParameterValue] {
        var values: [String: ParameterValue] = [:]
        for schema in schemas {
            if let node = written[schema.key] {
                if let value = parse(node, schema: schema) { values[schema.key] = value }
            } else if let value = schema.defaultValue {
                values[schema.key] = value
            } else if !schema.isOptional {
                bag.error("missing required parameter '\(schema.key)' \(context)", at: location)
            }
        }
        return values
    }

    func parse(_ node: Node, schema: ParameterSchema) -> ParameterValue? {
        let key = schema.key
        guard let text = reader.scalar(node, key: key) else { return nil }
        func fail(_ message: String) -> ParameterValue? {
            bag.error(message, at: reader.location(node))
            return nil
        }
        func inRange(_ value: Double, _ range: ClosedRange<Double>, unit: String) -> ParameterValue? {
            guard range.contains(value) else {
                let suffix = unit.isEmpty ? "" : " \(unit)"   // plain numbers have no unit
                return fail("'\(key)' is out of range: \(format(value))\(suffix) is not within "
                            + "\(format(range.lowerBound))…\(format(range.upperBound))\(suffix)")
            }
            return .number(value)
        }
        do {
            switch schema.kind {
            case .level(let range):
                return inRange(try Units.decibels(text), range, unit: "dB")
            case .truePeak(let range):
                // `dBTP` is dB of true peak: the number reads the same once the "TP" is set aside.
                let trimmed = Units.normalise(text)
                let level = trimmed.lowercased().hasSuffix("dbtp") ? String(trimmed.dropLast(2)) : trimmed
                return inRange(try Units.decibels(level), range, unit: "dBTP")
            case .frequency(let range):
                let hz = try Units.hertz(text)
                let nyquist = Double(session.sampleRate) / 2
                if hz >= nyquist {
                    return fail("'\(key)' \(format(hz)) Hz is at or above the Nyquist frequency "
                                + "(\(format(nyquist)) Hz at \(session.sampleRate) Hz)")
                }
                return inRange(hz, range, unit: "Hz")
            case .duration(let range):
                let seconds = try Units.seconds(text)
                if seconds < 0 { return fail("'\(key)' must not be negative, found '\(text)'") }
                return inRange(seconds, range, unit: "s")
            case .ratio(let range):
                let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard (1...2).contains(parts.count), let first = parts[0], parts.count == 1 || parts[1] == 1 else {
                    return fail("'\(key)' must be \(schema.kind.expectation), found '\(text)'")
                }
                if first < 1 { return fail("'\(key)' must be at least 1 (1:1 is no compression), found '\(text)'") }
                return inRange(first, range, unit: ":1")
            case .fraction:
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                let value = trimmed.hasSuffix("%") ? Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 }
                    : Double(trimmed)
                guard let value, (0...1).contains(value) else {
                    return fail("'\(key)' must be between 0% and 100% (or 0…1), found '\(text)'")
                }
                return .number(value)
            case .number(let range):
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    return fail("'\(key)' must be \(schema.kind.expectation), found '\(text)'")
                }
                return inRange(value, range, unit: "")
            case .choice(let words):
                let lowered = text.lowercased()
                guard words.contains(lowered) else {
                    return fail("'\(key)' must be \(schema.kind.expectation), found '\(text)'"
                                + Suggestions.hint(for: text, in: words))
                }
                return .text(lowered)
            case .flag:
                return reader.bool(node, key: key).map(ParameterValue.flag)
            case .levelOrWord(let range, let word):
                if text.lowercased() == word { return .text(word) }
                return inRange(try Units.decibels(text), range, unit: "dB")
            case .noteOrDuration(let range):
                if let seconds = NoteValue.seconds(text, clock: session.clock) {
                    return inRange(seconds, range, unit: "s")
                }
                let seconds = try Units.seconds(text)
                if seconds < 0 { return fail("'\(key)' must not be negative, found '\(text)'") }
                return inRange(seconds, range, unit: "s")
            case .samplesOrDuration:
                let trimmed = Units.normalise(text)
                if trimmed.lowercased().hasSuffix("smp") {
                    guard let samples = Int(trimmed.dropLast(3).trimmingCharacters(in: .whitespaces)) else {
                        return fail("'\(key)' must be \(schema.kind.expectation), found '\(text)'")
                    }
                    return .number(Double(samples))
                }
                let seconds = try Units.seconds(trimmed)
                guard abs(seconds) <= 60 else { return fail("'\(key)' is out of range: at most 60 s either way") }
                return .number((seconds * Double(session.sampleRate)).rounded())
            case .file:
                let url = URL(fileURLWithPath: text, relativeTo: directory).standardizedFileURL
                guard FileManager.default.isReadableFile(atPath: url.path) else {
                    return fail("'\(key)': file '\(text)' not found or not readable (looked for \(url.path))")
                }
                return .text(url.path)
            }
        } catch {
            return fail("'\(key)': \(error.message)")
        }
    }

    private func format(_ value: Double) -> String {
        if value == .infinity { return "+inf" }
        if value == -.infinity { return "-inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Tempo-synced note values: `1/4` (a quarter note), `1/8.` (dotted eighth), `1/8t` (eighth triplet).
enum NoteValue {
    static func seconds(_ text: String, clock: SessionClock) -> Double? {
        var body = text.trimmingCharacters(in: .whitespaces).lowercased()
        var factor = 1.0
        if body.hasSuffix(".") { factor = 1.5; body.removeLast() }
        else if body.hasSuffix("t") { factor = 2.0 / 3.0; body.removeLast() }
        let parts = body.split(separator: "/")
        guard parts.count == 2, let numerator = Double(parts[0]), let denominator = Double(parts[1]),
              numerator > 0, denominator > 0 else { return nil }
        // A whole note is four quarter notes; tempo counts quarter notes.
        let quarter = 60 / clock.quarterNotesPerMinute
        return 4 * quarter * numerator / denominator * factor
    }
}
