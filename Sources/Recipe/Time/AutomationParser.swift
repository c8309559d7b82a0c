import Foundation
import Yams

/// Processor parameters that automation can move while rendering, by processor name.
public enum AutomatableParameters {
    public static let byProcessor: [String: [String]] = [
        "gain": ["gain"],
        "compressor": ["threshold", "ratio", "makeup", "mix"],
        "width": ["width"],
        "eq": ["gain", "freq", "q"],
        "delay": ["mix", "feedback"],
        "reverb": ["mix", "width"],
        "saturate": ["drive", "mix"],
    ]
}

extension Parser {
    enum StripRole { case track, bus, master }

    /// `automation: { gain: [ {at, value, ramp}… ], pan: { verse: -0.2 }, sends.plate: …, vox_eq.gain: … }`
    func automation(_ node: Node?, owner: String, inserts: [Insert], sends: [Send], session: Session,
                    time: PositionResolver, role: StripRole) -> [Automation] {
        guard let node, !isNull(node), let mapping = reader.mapping(node, key: "automation") else { return [] }
        var lanes: [Automation] = []
        for (key, keyNode, value) in mapping.entries {
            let location = reader.location(keyNode)
            guard let (target, parse) = automationTarget(key, at: location, owner: owner, inserts: inserts,
                                                        sends: sends, session: session, role: role) else { continue }
            let label = "automation.\(key)"
            switch value {
            case .sequence(let list):
                var points: [AutomationPoint] = []
                for item in list {
                    guard let map = reader.mapping(item, key: label) else { continue }
                    map.checkKeys(in: "in a point of '\(key)'", known: ["at", "value", "ramp", "curve"])
                    guard let atNode = map.require("at", in: "in a point of '\(key)'"),
                          let valueNode = map.require("value", in: "in a point of '\(key)'"),
                          let frame = time.frame(atNode, key: "at", bare: .seconds),
                          let parsed = parse(valueNode) else { continue }
                    var point = AutomationPoint(frame: frame, value: parsed)
                    if let rampNode = map["ramp"] { point.ramp = time.frames(rampNode, key: "ramp") }
                    if let curveNode = map["curve"], let curve = curve(curveNode) { point.curve = curve }
                    if let last = points.last {
                        let lastEnd = last.frame + (last.ramp ?? 0)
                        if frame < last.frame {
                            bag.error("automation points must be in time order: this one is before the previous one",
                                      at: reader.location(atNode))
                            continue
                        }
                        if frame < lastEnd {
                            bag.error("this point starts before the previous point's ramp ends", at: reader.location(atNode))
                            continue
                        }
                    }
                    points.append(point)
                }
                if list.isEmpty { bag.error("'\(key)' lists no points", at: reader.location(value)) }
                if !points.isEmpty { lanes.append(Automation(target: Located(target, at: location), points: points)) }
            case .mapping:
                guard let map = reader.mapping(value, key: label) else { continue }
                var points: [AutomationPoint] = []
                for (sectionName, sectionKey, entry) in map.entries {
                    guard let section = time.sections.first(where: { $0.name.value == sectionName }) else {
                        time.unknownSection(sectionName, in: " in '\(key)'", at: reader.location(sectionKey))
                        continue
                    }
                    var valueNode = entry
                    var ramp: Int64 = 0
                    var curve = AutomationCurve.linear
                    if case .mapping = entry, let entryMap = reader.mapping(entry, key: "\(label).\(sectionName)") {
                        entryMap.checkKeys(in: "in '\(key)' for '\(sectionName)'", known: ["value", "ramp", "curve"])
                        guard let node = entryMap.require("value", in: "in '\(key)' for '\(sectionName)'") else { continue }
                        valueNode = node
                        if let rampNode = entryMap["ramp"], let frames = time.frames(rampNode, key: "ramp") { ramp = frames }
                        if let curveNode = entryMap["curve"], let value = self.curve(curveNode) { curve = value }
                    }
                    guard let parsed = parse(valueNode) else { continue }
                    points.append(AutomationPoint(frame: section.start, value: parsed, ramp: ramp, curve: curve))
                    // Back to the base value where the section ends (dropped below if another listed section starts there).
                    points.append(AutomationPoint(frame: section.end, value: .nan, ramp: ramp, curve: curve))
                }
                points.sort { $0.frame < $1.frame || ($0.frame == $1.frame && $0.value.isNaN && !$1.value.isNaN) }
                // A listed section that starts where another ends replaces its "back to base" point.
                var merged: [AutomationPoint] = []
                for point in points {
                    if let last = merged.last, last.frame == point.frame, last.value.isNaN { merged.removeLast() }
                    merged.append(point)
                }
                if !merged.isEmpty {
                    lanes.append(Automation(target: Located(target, at: location), points: merged,
                                            baseValue: .nan))
                }
            default:
                bag.error("'\(key)' takes a list of points ('- { at: verse, value: -3 dB }') or values per section "
                          + "('{ verse: -3 dB, chorus: 0 dB }')", at: reader.location(value))
            }
        }
        return lanes
    }

    /// What an automation key addresses and how its values are read.
    private func automationTarget(_ key: String, at location: SourceLocation, owner: String, inserts: [Insert],
                                  sends: [Send], session: Session, role: StripRole)
        -> (Automation.Target, (Node) -> Double?)? {
        if key == "gain" { return (.gain, { self.level($0, key: "gain") }) }
        if key == "pan" {
            guard role != .master else {
                bag.error("the master has no pan to automate", at: location)
                return nil
            }
            return (.pan, { self.reader.parse($0, key: "pan", Units.pan) })
        }
        if key.hasPrefix("sends.") {
            let bus = String(key.dropFirst(6))
            guard sends.contains(where: { $0.target.value == bus }) else {
                let names = sends.map(\.target.value)
                bag.error("'\(owner)' has no send to '\(bus)' to automate" + Suggestions.hint(for: bus, in: names)
                          + (names.isEmpty ? "; add it under 'sends' first" : ""), at: location)
                return nil
            }
            return (.send(bus), { self.level($0, key: key) })
        }
        let parts = key.split(separator: ".").map(String.init)
        let ids = inserts.compactMap(\.id)
        let candidates = ["gain", "pan"] + sends.map { "sends.\($0.target.value)" } + ids.map { "\($0).…" }
        guard parts.count == 2 || parts.count == 3,
              let insert = inserts.first(where: { $0.id == parts[0] }) else {
            if parts.count >= 2 {
                bag.error("'\(owner)' has no insert with id '\(parts[0])'" + Suggestions.hint(for: parts[0], in: ids)
                          + "; give the insert an 'id' to automate its parameters", at: location)
            } else {
                bag.error("unknown automation target '\(key)' on '\(owner)'"
                          + Suggestions.hint(for: key, in: ["gain", "pan"] + sends.map { "sends.\($0.target.value)" })
                          + "; targets: " + candidates.joined(separator: ", "), at: location)
            }
            return nil
        }
        let processor = insert.processor.value
        let parameter = parts.last!
        if processor == "reverb", case .text(let ir)? = insert.parameters["ir"], !ir.isEmpty {
            bag.error("a convolution reverb ('ir') has no automatable parameters; automate its send or the bus instead",
                      at: location)
            return nil
        }
        guard let schema = ProcessorCatalog.schema(named: processor) else { return nil }
        let allowed = AutomatableParameters.byProcessor[processor] ?? []
        var key = parameter
        if schema.bandParameters != nil, !insert.bands.isEmpty {
            let band: Int
            if parts.count == 3 {
                guard let index = Int(parts[1]), (1...insert.bands.count).contains(index) else {
                    bag.error("'\(parts[0])' has no band '\(parts[1])' (bands 1…\(insert.bands.count))", at: location)
                    return nil
                }
                band = index
            } else if insert.bands.count == 1 {
                band = 1
            } else {
                bag.error("'\(parts[0])' has \(insert.bands.count) bands: name one, e.g. '\(parts[0]).1.\(parameter)'",
                          at: location)
                return nil
            }
            key = "\(band).\(parameter)"
            if case .text(let type)? = insert.bands[band - 1]["type"], type == "highpass" || type == "lowpass",
               case .number(let slope)? = insert.bands[band - 1]["slope"], slope > 12 {
                bag.error("band \(band) of '\(parts[0])' is a \(Int(slope)) dB/oct \(type) (several sections): only bands of one "
                          + "biquad (peak, shelves, 12 dB/oct passes…) can be automated", at: location)
                return nil
            }
        } else if parts.count == 3 {
            bag.error("'\(parts[0])' (\(processor)) has no bands: write '\(parts[0]).\(parameter)'", at: location)
            return nil
        }
        guard allowed.contains(parameter) else {
            let list = allowed.isEmpty ? "\(processor) has no automatable parameters"
                : "automatable on \(processor): " + allowed.joined(separator: ", ")
            bag.error("'\(parameter)' of '\(parts[0])' cannot be automated" + Suggestions.hint(for: parameter, in: allowed)
                      + "; \(list)", at: location)
            return nil
        }
        let schemas = (schema.bandParameters ?? []) + schema.parameters
        guard let parameterSchema = schemas.first(where: { $0.key == parameter }) else { return nil }
        let inserter = InsertParser(reader: reader, session: session, directory: directory)
        return (.parameter(insert: parts[0], key: key), { node in
            switch inserter.parse(node, schema: parameterSchema) {
            case .number(let value)?: return value
            case .text?:
                self.bag.error("'\(parameter)' automation takes numbers", at: self.reader.location(node))
                return nil
            default: return nil
            }
        })
    }
}
