import Foundation
import Yams

/// Reads `deliver:`: one entry per deliverable, preset first, then explicit keys.
struct DeliverParser {
    let reader: NodeReader
    let session: Session
    let time: PositionResolver

    var bag: DiagnosticBag { reader.bag }

    static let keys = ["preset", "arrangement", "mix", "loudness", "true_peak", "format", "sample_rate", "bit_depth",
                       "dither", "bitrate", "mono_below", "fade_out", "tags", "on_miss", "tail", "sides"]

    func deliverables(_ node: Node) -> [Deliverable] {
        guard let mapping = reader.mapping(node, key: "deliver") else { return [] }
        var result: [Deliverable] = []
        for (name, keyNode, value) in mapping.entries {
            if let deliverable = deliverable(Located(name, at: reader.location(keyNode)), value) {
                result.append(deliverable)
            }
        }
        return result
    }

    private func deliverable(_ name: Located<String>, _ node: Node) -> Deliverable? {
        guard let map = reader.mapping(node, key: "deliver.\(name.value)") else { return nil }
        let context = "in deliverable '\(name.value)'"
        map.checkKeys(in: context, known: Self.keys)
        var preset: String?
        if let node = map["preset"], let text = reader.scalar(node, key: "preset") {
            if DeliveryPresets.names.contains(text) {
                preset = text
            } else {
                bag.error("unknown preset '\(text)'" + Suggestions.hint(for: text, in: DeliveryPresets.names)
                          + "; presets: " + DeliveryPresets.names.joined(separator: ", "), at: reader.location(node))
            }
        }
        var d = DeliveryPresets.base(preset, name: name)
        for (key, keyNode, _) in map.entries { d.locations[key] = reader.location(keyNode) }

        if let node = map["arrangement"], let text = reader.scalar(node, key: "arrangement") {
            d.arrangement = Located(text, at: reader.location(node))
        }
        if let node = map["mix"], let text = reader.scalar(node, key: "mix") {
            d.mix = Located(text, at: reader.location(node))
        }
        if let node = map["tail"] { d.tail = Parser.tailSetting(node, key: "tail", reader: reader) }
        if let node = map["sides"], let sides = reader.mapping(node, key: "sides") {
            for (side, sideKey, list) in sides.entries {
                let items: [Node]
                if case .sequence(let sequence) = list { items = Array(sequence) } else { items = [list] }
                let names = items.compactMap { item in
                    reader.scalar(item, key: "sides.\(side)").map { Located($0, at: reader.location(item)) }
                }
                if names.isEmpty { bag.error("side '\(side)' lists no sections", at: reader.location(list)) }
                d.sides.append((Located(side, at: reader.location(sideKey)), names))
            }
            if d.sides.isEmpty { bag.error("'sides' lists no sides, e.g. '{ A: [intro, verse], B: [chorus, outro] }'", at: reader.location(node)) }
        }
        if let node = map["loudness"], let text = reader.scalar(node, key: "loudness") {
            if text.lowercased() == "none" {
                d.loudness = nil
            } else if let value = number(text, units: ["lufs", "lkfs", ""]), (-60 ... -5).contains(value) {
                d.loudness = value
            } else {
                bag.error("'loudness' must be an integrated target such as '-14 LUFS' (−60…−5) or 'none', found '\(text)'",
                          at: reader.location(node))
            }
        }
        if let node = map["true_peak"], let text = reader.scalar(node, key: "true_peak") {
            if text.lowercased() == "none" {
                d.truePeak = nil
            } else if let value = number(text, units: ["dbtp", "db", ""]), (-20...0).contains(value) {
                d.truePeak = value
            } else {
                bag.error("'true_peak' must be a ceiling such as '-1 dBTP' (−20…0) or 'none', found '\(text)'",
                          at: reader.location(node))
            }
        }
        if let node = map["format"], let text = reader.scalar(node, key: "format") {
            if let format = Deliverable.Format(rawValue: text.lowercased()) {
                d.format = format
            } else {
                let names = Deliverable.Format.allCases.map(\.rawValue)
                bag.error("'format' must be one of \(names.joined(separator: ", ")), found '\(text)'"
                          + Suggestions.hint(for: text, in: names), at: reader.location(node))
            }
        }
        if let node = map["sample_rate"], let rate = reader.integer(node, key: "sample_rate", range: 8000...384_000) {
            d.sampleRate = rate
            if d.neverUpsample && rate > session.sampleRate {
                bag.error("'sample_rate' \(rate) is above the session rate (\(session.sampleRate)): preset "
                          + "'\(preset ?? "")' never upsamples", at: reader.location(node))
            }
        }
        if let node = map["bit_depth"], let text = reader.scalar(node, key: "bit_depth") {
            switch text.lowercased() {
            case "16": d.bitDepth = 16
            case "24": d.bitDepth = 24
            case "32f", "32", "float": d.bitDepth = 32
            default: bag.error("'bit_depth' must be 16, 24 or 32f, found '\(text)'", at: reader.location(node))
            }
        }
        if let node = map["dither"], let text = reader.scalar(node, key: "dither") {
            if let dither = Deliverable.Dither(rawValue: text.lowercased()) {
                d.dither = dither
            } else {
                bag.error("'dither' must be tpdf, shaped or none, found '\(text)'"
                          + Suggestions.hint(for: text, in: Deliverable.Dither.allCases.map(\.rawValue)),
                          at: reader.location(node))
            }
        }
        if let node = map["bitrate"], let text = reader.scalar(node, key: "bitrate") {
            if text.lowercased() == "vbr" {
                d.bitrate = 0
            } else if let value = number(text, units: ["kbps", "kbit/s", "k", ""]), (32...320).contains(value) {
                d.bitrate = Int(value)
            } else {
                bag.error("'bitrate' must be 32…320 kbps (constant) or 'vbr' (variable, highest quality), found '\(text)'",
                          at: reader.location(node))
            }
        }
        if let node = map["mono_below"], let text = reader.scalar(node, key: "mono_below") {
            if text.lowercased() == "none" {
                d.monoBelow = nil
            } else if let hz = try? Units.hertz(text), hz > 0, hz < Double(session.sampleRate) / 2 {
                d.monoBelow = hz
            } else {
                bag.error("'mono_below' must be a frequency below Nyquist such as '150 Hz', found '\(text)'",
                          at: reader.location(node))
            }
        }
        if let node = map["fade_out"], let text = reader.scalar(node, key: "fade_out") {
            if let seconds = try? Units.seconds(text), seconds >= 0, seconds <= 60 {
                d.fadeOut = seconds
            } else {
                bag.error("'fade_out' must be a duration from 0 to 60 s such as '3 s', found '\(text)'",
                          at: reader.location(node))
            }
        }
        if let node = map["on_miss"], let text = reader.scalar(node, key: "on_miss") {
            if let value = Deliverable.OnMiss(rawValue: text.lowercased()) {
                d.onMiss = value
            } else {
                bag.error("'on_miss' must be fail or warn, found '\(text)'", at: reader.location(node))
            }
        }
        if let node = map["tags"], let tags = reader.mapping(node, key: "tags") {
            for (key, keyNode, value) in tags.entries {
                d.locations["tags.\(key)"] = reader.location(keyNode)
                if let text = reader.scalar(value, key: "tags.\(key)") { d.tags.append((key, text)) }
            }
        }
        if d.stems && (d.loudness != nil) {
            bag.error("the stems preset is unmastered: 'loudness' does not apply", at: d.locations["loudness"])
        }
        if d.isLossy && d.bitDepth == 32 && map["bit_depth"] != nil {
            bag.error("'bit_depth' does not apply to \(d.format.rawValue)", at: d.locations["bit_depth"])
        }
        if d.format == .flac && d.bitDepth == 32 {
            bag.error("FLAC cannot store 32-bit float: use bit_depth 16 or 24, or format wav", at: d.locations["bit_depth"] ?? d.locations["format"])
        }
        if d.format == .opus, let rate = d.sampleRate, rate != 48000 {
            bag.error("Opus is always 48 kHz: remove 'sample_rate' or set 48000", at: d.locations["sample_rate"])
        }
        return d
    }

    /// "-14 LUFS" → -14 with any of the accepted (lower-case) unit spellings.
    private func number(_ text: String, units: [String]) -> Double? {
        let trimmed = Units.normalise(text).lowercased()
        for unit in units.sorted(by: { $0.count > $1.count }) where trimmed.hasSuffix(unit) {
            if let value = Double(trimmed.dropLast(unit.count).trimmingCharacters(in: .whitespaces)), value.isFinite {
                return value
            }
        }
        return nil
    }
}
