import Foundation
import Yams

/// Reads a recipe from YAML into a validated `Recipe`, collecting every problem before giving up.
public enum RecipeParser {

    /// Reads and parses the recipe at `path` (as the user wrote it; used in messages).
    public static func load(path: String) throws(RecipeError) -> Recipe {
        let url = URL(fileURLWithPath: path)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw RecipeError([Diagnostic(at: nil, "recipe '\(path)' \(reason)")])
        }
        return try parse(yaml: text, file: path, directory: url.deletingLastPathComponent())
    }

    /// Parses recipe text; `file` names it in diagnostics and `directory` anchors relative paths.
    public static func parse(yaml: String, file: String, directory: URL) throws(RecipeError) -> Recipe {
        let (recipe, diagnostics) = analyse(yaml: yaml, file: file, directory: directory)
        guard let recipe, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw RecipeError(diagnostics)
        }
        return recipe
    }

    /// Reads the recipe at `path` and returns whatever could be read plus every problem found, sorted. The recipe
    /// is nil only when the text is not a YAML mapping; otherwise it holds every part that could be read, so later
    /// checks (stem files, output names) can still run and `check` reports everything in one go.
    public static func analyse(path: String) -> (Recipe?, [Diagnostic]) {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            return (nil, [Diagnostic(at: nil, "recipe '\(path)' \(reason)")])
        }
        return analyse(yaml: text, file: path, directory: url.deletingLastPathComponent())
    }

    public static func analyse(yaml: String, file: String, directory: URL) -> (Recipe?, [Diagnostic]) {
        let bag = DiagnosticBag()
        let reader = NodeReader(file: file, bag: bag)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            return (nil, [syntaxDiagnostic(error, file: file)])
        } catch {
            return (nil, [Diagnostic(at: nil, "\(file): cannot parse YAML: \(error)")])
        }
        guard let root, let top = reader.mapping(root, key: "recipe") else {
            if bag.hasErrors { return (nil, bag.diagnostics) }
            return (nil, [Diagnostic(at: SourceLocation(file: file, line: 1, column: 1),
                                     "the recipe is empty: it needs at least 'bounce: 1' and 'tracks'")])
        }
        // Relative paths resolve against a folder, whatever form the caller's URL had.
        let folder = URL(fileURLWithPath: directory.path, isDirectory: true)
        let parser = Parser(reader: reader, directory: folder, file: file)
        let recipe = parser.recipe(top)
        if let recipe { RecipeValidator(recipe: recipe, bag: bag).validate() }
        return (recipe, sorted(bag.diagnostics))
    }

    /// In file order, as editors and compilers list them (stable for problems at the same place).
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let x = a.element.location, y = b.element.location
            let keyA = (x?.line ?? 0, x?.column ?? 0, a.offset), keyB = (y?.line ?? 0, y?.column ?? 0, b.offset)
            return keyA < keyB
        }.map(\.element)
    }

    static func syntaxDiagnostic(_ error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text))" } ?? ""
            return Diagnostic(at: at(mark), "YAML syntax error: \(problem)\(while_)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(at: at(context.mark), "duplicate key \(names): each name may appear once in a mapping")
        case let .reader(problem, _, _, _):
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(problem)")
        default:
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(error)")
        }
    }
}

/// The key-by-key reading of a recipe. Each method reports what it cannot read and returns what it can.
struct Parser {
    let reader: NodeReader
    let directory: URL
    let file: String

    var bag: DiagnosticBag { reader.bag }

    func recipe(_ top: MappingNode) -> Recipe? {
        top.checkKeys(in: "at the top level",
                      known: ["bounce", "title", "artist", "album", "isrc", "year",
                              "session", "sections", "tracks", "buses", "master", "arrangements", "mixes",
                              "stems_out", "deliver", "output"])
        var version = 1
        if let node = top.require("bounce", in: "at the top level (the format version: 'bounce: 1')"),
           let value = reader.integer(node, key: "bounce", range: Int.min...Int.max) {
            if value != 1 {
                bag.error("recipe format version \(value) is not supported: this Bounce reads version 1",
                          at: reader.location(node))
            }
            version = value
        }
        let metadata = self.metadata(top)
        let session = self.session(top["session"])
        let (sections, invalidSections) = self.sections(top["sections"], clock: session.clock)
        var time = PositionResolver(reader: reader, clock: session.clock, sections: sections)
        time.invalid = invalidSections
        var tracks: [Track] = []
        if let node = top.require("tracks", in: "at the top level"), let mapping = reader.mapping(node, key: "tracks") {
            if mapping.entries.isEmpty { bag.error("'tracks' is empty: a recipe needs at least one track", at: reader.location(node)) }
            for entry in mapping.entries {
                if let track = track(name: entry.key, keyNode: entry.keyNode, node: entry.value, session: session, time: time) {
                    tracks.append(track)
                }
            }
        }
        var buses: [Bus] = []
        if let node = top["buses"], !isNull(node), let mapping = reader.mapping(node, key: "buses") {
            for entry in mapping.entries {
                if let bus = bus(name: entry.key, keyNode: entry.keyNode, node: entry.value, session: session, time: time) { buses.append(bus) }
            }
        }
        let master = self.master(top["master"], session: session, time: time)
        var output = Located(Recipe.defaultOutput, at: reader.location(top.node))
        if let node = top["output"], let text = reader.scalar(node, key: "output") {
            output = Located(text, at: reader.location(node))
        }
        var recipe = Recipe(file: file, directory: directory, version: version, metadata: metadata, session: session,
                      tracks: tracks, buses: buses, master: master, output: output,
                      stemGroups: stemGroups(top["stems_out"]),
                      deliverables: top["deliver"].map { DeliverParser(reader: reader, session: session, time: time).deliverables($0) } ?? [],
                      sections: sections, arrangements: arrangements(top["arrangements"], time: time),
                      mixes: mixes(top["mixes"]))
        recipe.invalidSections = invalidSections
        return recipe
    }

    /// `stems_out: { drums: [kick, snare], music: [keys_bus] }`
    func stemGroups(_ node: Node?) -> [StemGroup] {
        guard let node, !isNull(node), let mapping = reader.mapping(node, key: "stems_out") else { return [] }
        var groups: [StemGroup] = []
        for (name, keyNode, value) in mapping.entries {
            let members: [Node]
            switch value {
            case .sequence(let sequence): members = Array(sequence)
            case .scalar: members = [value]
            default:
                bag.error("stem group '\(name)' must list tracks or buses, e.g. '\(name): [kick, snare]'",
                          at: reader.location(value))
                continue
            }
            let names = members.compactMap { member in
                reader.scalar(member, key: "stems_out.\(name)").map { Located($0, at: reader.location(member)) }
            }
            if names.isEmpty { bag.error("stem group '\(name)' is empty", at: reader.location(value)) }
            groups.append(StemGroup(name: Located(name, at: reader.location(keyNode)), members: names))
        }
        return groups
    }

    func metadata(_ top: MappingNode) -> Metadata {
        var metadata = Metadata(title: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
        if let node = top["title"], let text = reader.scalar(node, key: "title") {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                bag.error("'title' is empty", at: reader.location(node))
            } else {
                metadata.title = text
            }
        }
        if let node = top["artist"] { metadata.artist = reader.scalar(node, key: "artist") }
        if let node = top["album"] { metadata.album = reader.scalar(node, key: "album") }
        if let node = top["isrc"], let text = reader.scalar(node, key: "isrc") {
            if ISRC.isValid(text) {
                metadata.isrc = text
            } else {
                bag.error("'isrc' must look like CC-XXX-YY-NNNNN (country, registrant, year, designation), found '\(text)'",
                          at: reader.location(node))
            }
        }
        if let node = top["year"] { metadata.year = reader.integer(node, key: "year", range: 1000...9999) }
        return metadata
    }

    func session(_ node: Node?) -> Session {
        var session = Session(sampleRate: 48000,
                              clock: SessionClock(sampleRate: 48000, quarterNotesPerMinute: 120,
                                                  meter: Meter(beatsPerBar: 4, noteValue: 4)),
                              stemsDirectory: directory, panLaw: .minus3dB, resampler: .soxr)
        guard let node, !isNull(node), let mapping = reader.mapping(node, key: "session") else { return session }
        mapping.checkKeys(in: "in 'session'",
                          known: ["sample_rate", "tempo", "meter", "stems", "pan_law", "resampler", "tail"])
        if let node = mapping["sample_rate"],
           let rate = reader.integer(node, key: "sample_rate", range: 8000...768_000) {
            session.sampleRate = rate
        }
        let meters = meterMap(mapping["meter"])
        let tempo = tempoMap(mapping["tempo"], meters: meters)
        session.clock = SessionClock(sampleRate: session.sampleRate, tempo: tempo, meters: meters)
        if let node = mapping["tail"], let tail = tail(node, key: "tail") { session.tail = tail }
        if let node = mapping["stems"], let text = reader.scalar(node, key: "stems") {
            let url = URL(fileURLWithPath: text, isDirectory: true, relativeTo: directory).standardizedFileURL
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                session.stemsDirectory = URL(fileURLWithPath: url.path, isDirectory: true)
            } else {
                bag.error("'stems': folder '\(text)' does not exist (looked in \(url.path))", at: reader.location(node))
            }
        }
        if let node = mapping["pan_law"], let text = reader.scalar(node, key: "pan_law") {
            let normalised = Units.normalise(text).lowercased().replacingOccurrences(of: " ", with: "")
            if let law = PanLaw.allCases.first(where: { $0.rawValue.replacingOccurrences(of: " ", with: "").lowercased() == normalised
                || $0.rawValue.dropLast(3) == normalised }) {
                session.panLaw = law
            } else {
                let choices = PanLaw.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                bag.error("'pan_law' must be one of \(choices), found '\(text)'", at: reader.location(node))
            }
        }
        if let node = mapping["resampler"], let text = reader.scalar(node, key: "resampler") {
            if let choice = ResamplerChoice(rawValue: text.lowercased()) {
                session.resampler = choice
            } else {
                let names = ResamplerChoice.allCases.map(\.rawValue)
                bag.error("'resampler' must be 'soxr' or 'libsamplerate', found '\(text)'"
                          + Suggestions.hint(for: text, in: names), at: reader.location(node))
            }
        }
        return session
    }

    func track(name: String, keyNode: Node, node: Node, session: Session, time: PositionResolver) -> Track? {
        let context = "in track '\(name)'"
        let nameLocation = Located(name, at: reader.location(keyNode))
        guard let mapping = reader.mapping(node, key: "tracks.\(name)") else { return nil }
        mapping.checkKeys(in: context, known: ["stem", "gain", "pan", "mute", "offset", "bus", "sends", "inserts",
                                               "automation", "fade_in", "fade_out"])
        var stem: Located<String>?
        if let node = mapping.require("stem", in: context), let text = reader.scalar(node, key: "stem") {
            stem = Located(text, at: reader.location(node))
        }
        let strip = channelStrip(mapping, context: context)
        var offset = Located(TimePosition.seconds(0), at: reader.location(keyNode))
        var offsetFrames: Int64 = 0
        if let node = mapping["offset"],
           let position = reader.parse(node, key: "offset", { (text) throws(ValueError) in
               try Units.position(text, bare: .seconds)
           }) {
            offset = Located(position, at: reader.location(node))
            offsetFrames = time.frame(position, at: reader.location(node), key: "offset") ?? 0
        }
        guard let stem else { return nil }
        let url = URL(fileURLWithPath: stem.value, relativeTo: session.stemsDirectory).standardizedFileURL
        let inserts = inserts(mapping, owner: name, session: session)
        var track = Track(name: nameLocation, stem: stem, stemURL: url, gainDB: strip.gain, pan: strip.pan,
                          mute: strip.mute, muteSections: strip.muteSections, offset: offset,
                          offsetFrames: offsetFrames, destination: strip.destination, sends: strip.sends,
                          inserts: inserts)
        track.automation = automation(mapping["automation"], owner: name, inserts: inserts, sends: strip.sends,
                                      session: session, time: time, role: .track)
        track.fadeIn = mapping["fade_in"].flatMap { fade($0, key: "fade_in") }
        track.fadeOut = mapping["fade_out"].flatMap { fade($0, key: "fade_out") }
        return track
    }

    func bus(name: String, keyNode: Node, node: Node, session: Session, time: PositionResolver) -> Bus? {
        let context = "in bus '\(name)'"
        let nameLocation = Located(name, at: reader.location(keyNode))
        if isNull(node) {
            return Bus(name: nameLocation, gainDB: 0, pan: 0, mute: false,
                       destination: Located(.master, at: nameLocation.location), sends: [])
        }
        guard let mapping = reader.mapping(node, key: "buses.\(name)") else { return nil }
        mapping.checkKeys(in: context, known: ["gain", "pan", "mute", "bus", "sends", "inserts", "automation"])
        let strip = channelStrip(mapping, context: context)
        let inserts = inserts(mapping, owner: name, session: session)
        return Bus(name: nameLocation, gainDB: strip.gain, pan: strip.pan, mute: strip.mute,
                   destination: strip.destination, sends: strip.sends, inserts: inserts,
                   muteSections: strip.muteSections,
                   automation: automation(mapping["automation"], owner: name, inserts: inserts, sends: strip.sends,
                                          session: session, time: time, role: .bus))
    }

    /// The keys tracks and buses share: gain, pan, mute, bus, sends.
    func channelStrip(_ mapping: MappingNode, context: String)
        -> (gain: Double, pan: Double, mute: Bool, muteSections: [Located<String>], destination: Located<Destination>,
            sends: [Send]) {
        var gain = 0.0, pan = 0.0, mute = false
        var muteSections: [Located<String>] = []
        if let node = mapping["gain"], let value = level(node, key: "gain") { gain = value }
        if let node = mapping["pan"], let value = reader.parse(node, key: "pan", Units.pan) { pan = value }
        if let node = mapping["mute"] {
            if case .sequence(let list) = node {
                muteSections = list.compactMap { item in
                    reader.scalar(item, key: "mute").map { Located($0, at: reader.location(item)) }
                }
            } else if let value = reader.bool(node, key: "mute") {
                mute = value
            }
        }
        var destination = Located(Destination.master, at: reader.location(mapping.node))
        if let node = mapping["bus"], let text = reader.scalar(node, key: "bus") {
            destination = Located(text == "master" ? .master : .bus(text), at: reader.location(node))
        }
        var sends: [Send] = []
        if let node = mapping["sends"], !isNull(node), let sendMap = reader.mapping(node, key: "sends") {
            for entry in sendMap.entries {
                if let send = send(target: entry.key, keyNode: entry.keyNode, node: entry.value) { sends.append(send) }
            }
        }
        return (gain, pan, mute, muteSections, destination, sends)
    }

    func send(target: String, keyNode: Node, node: Node) -> Send? {
        let located = Located(target, at: reader.location(keyNode))
        if case .mapping = node, let mapping = reader.mapping(node, key: "sends.\(target)") {
            mapping.checkKeys(in: "in send to '\(target)'", known: ["level", "pre"])
            var levelDB = 0.0, pre = false
            if let node = mapping["level"], let value = level(node, key: "level") { levelDB = value }
            if let node = mapping["pre"], let value = reader.bool(node, key: "pre") { pre = value }
            return Send(target: located, levelDB: levelDB, preFader: pre)
        }
        guard let value = level(node, key: "sends.\(target)") else { return nil }
        return Send(target: located, levelDB: value, preFader: false)
    }

    /// A gain in dB, limited to what a fader can sensibly do.
    func level(_ node: Node, key: String) -> Double? {
        guard let value = reader.parse(node, key: key, Units.decibels) else { return nil }
        guard value <= 24 else {
            bag.error("'\(key)' is out of range: \(value) dB is above the +24 dB maximum", at: reader.location(node))
            return nil
        }
        return value
    }

    /// The strip's `inserts:` list, if any.
    func inserts(_ mapping: MappingNode, owner: String, session: Session) -> [Insert] {
        guard let node = mapping["inserts"], !isNull(node) else { return [] }
        return InsertParser(reader: reader, session: session, directory: directory).inserts(node, owner: owner)
    }

    func master(_ node: Node?, session: Session, time: PositionResolver) -> Master {
        var master = Master(gainDB: 0)
        guard let node, !isNull(node), let mapping = reader.mapping(node, key: "master") else { return master }
        mapping.checkKeys(in: "in 'master'", known: ["gain", "inserts", "automation"])
        if let node = mapping["gain"], let value = level(node, key: "gain") { master.gainDB = value }
        master.inserts = inserts(mapping, owner: "master", session: session)
        master.automation = automation(mapping["automation"], owner: "master", inserts: master.inserts, sends: [],
                                       session: session, time: time, role: .master)
        return master
    }

    func isNull(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node { return scalar.tag == .init(.null) || scalar.string == "~" || (scalar.string.isEmpty && scalar.style == .plain) }
        return false
    }
}

/// International Standard Recording Code: CC-XXX-YY-NNNNN (hyphens optional).
enum ISRC {
    static func isValid(_ text: String) -> Bool {
        let compact = Array(text.replacingOccurrences(of: "-", with: "").uppercased())
        guard compact.count == 12 else { return false }
        return compact[0..<2].allSatisfy { $0.isLetter && $0.isASCII }
            && compact[2..<5].allSatisfy { ($0.isLetter || $0.isNumber) && $0.isASCII }
            && compact[5..<12].allSatisfy { $0.isNumber && $0.isASCII }
    }
}
