import Foundation
import Yams

/// Resolves positions as written (`bar 30`, `"30.3"`, `"1:43.250"`, `"96000 smp"`, `verse.end`) to timeline samples,
/// reporting what cannot be resolved at the value's location.
struct PositionResolver {
    let reader: NodeReader
    let clock: SessionClock
    let sections: [Section]
    /// Sections that are written but could not be resolved (already reported): references to them stay quiet.
    var invalid: Set<String> = []

    var bag: DiagnosticBag { reader.bag }

    /// Reports an unknown section name, unless it names a section whose own error is already reported.
    func unknownSection(_ name: String, in context: String = "", at location: SourceLocation) {
        guard !invalid.contains(name) else { return }
        let names = sections.map(\.name.value)
        let known = names.isEmpty ? "; the recipe has no sections" : "; sections: " + names.joined(separator: ", ")
        bag.error("unknown section '\(name)'\(context)" + Suggestions.hint(for: name, in: names) + known, at: location)
    }

    /// The sample index of `position`, or nil (reported) when it names an unknown section, a beat the bar lacks,
    /// or lies more than 24 hours from the start. `key` prefixes the messages (`offset: …`).
    func frame(_ position: TimePosition, at location: SourceLocation, key: String? = nil) -> Int64? {
        let prefix = key.map { "\($0): " } ?? ""
        func outOfRange() -> Int64? {
            let what = key == "offset" ? "an offset" : "a position"
            bag.error("\(prefix)\(position) is out of range: \(what) must be within 24 hours of the start of the timeline",
                      at: location)
            return nil
        }
        let limit = RecipeValidator.maximumOffsetSeconds
        switch position {
        case .section(let name, let end):
            guard let section = sections.first(where: { $0.name.value == name }) else {
                unknownSection(name, at: location)
                return nil
            }
            return end ? section.end : section.start
        case .bar(let bar, let beat):
            // 100 000 bars is days of music at any tempo, and keeps the arithmetic far from overflow.
            guard bar <= 100_000 else { return outOfRange() }
            let meter = clock.meter(atBar: bar)
            guard beat <= meter.beatsPerBar else {
                bag.error("\(prefix)beat \(beat) does not exist in a \(meter) bar (bar \(bar))", at: location)
                return nil
            }
            let frame = clock.sampleIndex(of: position)!
            return Double(frame.magnitude) <= limit * Double(clock.sampleRate) ? frame : outOfRange()
        case .seconds(let s):
            return s.magnitude <= limit ? clock.sampleIndex(of: position) : outOfRange()
        case .samples(let n):
            return Double(n.magnitude) <= limit * Double(clock.sampleRate) ? n : outOfRange()
        }
    }

    /// Parses and resolves a position node.
    func frame(_ node: Node, key: String, bare: TimePosition.BareUnit) -> Int64? {
        guard let position = reader.parse(node, key: key, { (text) throws(ValueError) in
            try Units.position(text, bare: bare)
        }) else { return nil }
        return frame(position, at: reader.location(node))
    }

    /// A duration in frames: `30 ms`, `2 s`, `"0:02.5"`, `"4800 smp"`.
    func frames(_ node: Node, key: String, allowZero: Bool = true) -> Int64? {
        guard let text = reader.scalar(node, key: key) else { return nil }
        let trimmed = Units.normalise(text)
        var value: Int64?
        if trimmed.lowercased().hasSuffix("smp") {
            value = Int64(trimmed.dropLast(3).trimmingCharacters(in: .whitespaces))
        } else if trimmed.contains(":"), let seconds = try? Units.clock(trimmed, original: text) {
            value = clock.sampleIndex(seconds: seconds)
        } else if let seconds = try? Units.seconds(trimmed), seconds.magnitude <= RecipeValidator.maximumOffsetSeconds {
            value = clock.sampleIndex(seconds: seconds)
        }
        guard let value, value > 0 || (allowZero && value == 0) else {
            bag.error("'\(key)' must be a \(allowZero ? "" : "positive ")duration such as '30 ms', '2 s' or '4800 smp', "
                      + "found '\(text)'", at: reader.location(node))
            return nil
        }
        return value
    }
}

extension Parser {
    /// `meter: 4/4` or `meter: [{at: 1, meter: 4/4}, {at: 17, meter: 7/8}]`.
    func meterMap(_ node: Node?) -> [MeterChange] {
        let standard = [MeterChange(bar: 1, meter: Meter(beatsPerBar: 4, noteValue: 4))]
        guard let node, !isNull(node) else { return standard }
        guard case .sequence(let list) = node else {
            return meter(node, key: "meter").map { [MeterChange(bar: 1, meter: $0)] } ?? standard
        }
        var changes: [MeterChange] = []
        for item in list {
            guard let map = reader.mapping(item, key: "meter") else { continue }
            map.checkKeys(in: "in a meter change", known: ["at", "meter"])
            guard let atNode = map.require("at", in: "in a meter change (the bar it starts at)"),
                  let meterNode = map.require("meter", in: "in a meter change"),
                  let bar = reader.integer(atNode, key: "at", range: 1...100_000),
                  let meter = meter(meterNode, key: "meter") else { continue }
            if changes.isEmpty, bar != 1 {
                bag.error("the first meter must be at bar 1, found bar \(bar)", at: reader.location(atNode))
            } else if let last = changes.last, bar <= last.bar {
                bag.error("meter changes must be in bar order: bar \(bar) comes after bar \(last.bar)",
                          at: reader.location(atNode))
                continue
            }
            changes.append(MeterChange(bar: changes.isEmpty ? 1 : bar, meter: meter))
        }
        return changes.isEmpty ? standard : changes
    }

    func meter(_ node: Node, key: String) -> Meter? {
        guard let text = reader.scalar(node, key: key) else { return nil }
        let parts = text.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if parts.count == 2, let beats = parts[0], let unit = parts[1], (1...64).contains(beats),
           [1, 2, 4, 8, 16, 32].contains(unit) {
            return Meter(beatsPerBar: beats, noteValue: unit)
        }
        bag.error("'\(key)' must look like 4/4 or 6/8, found '\(text)'", at: reader.location(node))
        return nil
    }

    /// `tempo: 112` or `tempo: [{at: 1, bpm: 112}, {at: 33, bpm: 116, ramp: true}]`.
    func tempoMap(_ node: Node?, meters: [MeterChange]) -> [TempoPoint] {
        let standard = [TempoPoint(bar: 1, bpm: 120)]
        guard let node, !isNull(node) else { return standard }
        guard case .sequence(let list) = node else {
            return bpm(node, key: "tempo").map { [TempoPoint(bar: 1, bpm: $0)] } ?? standard
        }
        let clock = SessionClock(sampleRate: 48000, tempo: standard, meters: meters)
        var points: [TempoPoint] = []
        var lastQuarter = -1.0
        for item in list {
            guard let map = reader.mapping(item, key: "tempo") else { continue }
            map.checkKeys(in: "in a tempo change", known: ["at", "bpm", "ramp"])
            guard let atNode = map.require("at", in: "in a tempo change (a bar such as 33 or 33.3)"),
                  let bpmNode = map.require("bpm", in: "in a tempo change"),
                  let position = reader.parse(atNode, key: "at", { (text) throws(ValueError) in
                      try Units.position(text, bare: .bars)
                  }), let bpm = bpm(bpmNode, key: "bpm") else { continue }
            guard case .bar(let bar, let beat) = position else {
                bag.error("tempo changes are placed at bars ('33' or '33.3'), found '\(position)'", at: reader.location(atNode))
                continue
            }
            if beat > clock.meter(atBar: bar).beatsPerBar {
                bag.error("beat \(beat) does not exist in a \(clock.meter(atBar: bar)) bar (bar \(bar))", at: reader.location(atNode))
                continue
            }
            var ramp = false
            if let rampNode = map["ramp"], let text = reader.scalar(rampNode, key: "ramp") {
                switch text.lowercased() {
                case "true", "yes", "linear": ramp = true
                case "false", "no", "none": ramp = false
                default: bag.error("'ramp' must be true (linear) or false, found '\(text)'", at: reader.location(rampNode))
                }
            }
            let quarter = clock.quarters(bar: bar, beat: Double(beat))
            if points.isEmpty {
                if bar != 1 || beat != 1 {
                    bag.error("the tempo map must start at bar 1, found \(position)", at: reader.location(atNode))
                }
                if ramp { bag.error("the first tempo cannot ramp: there is nothing before it", at: reader.location(map.node)) }
                points.append(TempoPoint(bar: 1, beat: 1, bpm: bpm))
                lastQuarter = 0
                continue
            }
            guard quarter > lastQuarter else {
                bag.error("tempo changes must be in time order: \(position) is not after the previous one",
                          at: reader.location(atNode))
                continue
            }
            lastQuarter = quarter
            points.append(TempoPoint(bar: bar, beat: beat, bpm: bpm, ramp: ramp))
        }
        return points.isEmpty ? standard : points
    }

    func bpm(_ node: Node, key: String) -> Double? {
        guard let text = reader.scalar(node, key: key) else { return nil }
        let bpm = Double(text.lowercased().replacingOccurrences(of: "bpm", with: "").trimmingCharacters(in: .whitespaces))
        if let bpm, (10...1000).contains(bpm) { return bpm }
        bag.error("'\(key)' must be quarter notes per minute (BPM) between 10 and 1000, found '\(text)'",
                  at: reader.location(node))
        return nil
    }

    func tail(_ node: Node, key: String) -> TailSetting? { Self.tailSetting(node, key: key, reader: reader) }

    /// `tail: auto`, `tail: 4 s` (exactly), `tail: { max: 20 s }` (auto, at most 20 s).
    static func tailSetting(_ node: Node, key: String, reader: NodeReader) -> TailSetting? {
        let bag = reader.bag
        if case .mapping = node, let map = reader.mapping(node, key: key) {
            map.checkKeys(in: "in '\(key)'", known: ["max"])
            guard let maxNode = map.require("max", in: "in '\(key)'"), let text = reader.scalar(maxNode, key: "max") else {
                return nil
            }
            if let seconds = try? Units.seconds(text), (0...60).contains(seconds) { return .auto(maxSeconds: seconds) }
            bag.error("'max' must be a duration from 0 to 60 s, found '\(text)'", at: reader.location(maxNode))
            return nil
        }
        guard let text = reader.scalar(node, key: key) else { return nil }
        if text.lowercased() == "auto" { return .auto(maxSeconds: 10) }
        if let seconds = try? Units.seconds(text), (0...60).contains(seconds) { return .fixed(seconds: seconds) }
        bag.error("'\(key)' must be 'auto' (until below -90 dBFS, at most 10 s), a duration from 0 to 60 s such as "
                  + "'4 s', or '{ max: 20 s }', found '\(text)'", at: reader.location(node))
        return nil
    }

    /// `sections: { intro: { at: 1, bars: 8 }, … }`: each with `at` (default: where the previous one ends) and
    /// one of `bars`, `beats`, `until`, `length`. Returned in time order.
    func sections(_ node: Node?, clock: SessionClock) -> (sections: [Section], invalid: Set<String>) {
        guard let node, !isNull(node), let mapping = reader.mapping(node, key: "sections") else { return ([], []) }
        var result: [Section] = []
        var previousEnd: Int64 = 0
        var invalid = Set(mapping.entries.map(\.key))  // until resolved
        for (name, keyNode, value) in mapping.entries {
            let located = Located(name, at: reader.location(keyNode))
            let context = "in section '\(name)'"
            if !Units.isSectionName(name) || name.contains(".") {
                bag.error("section name '\(name)' must start with a letter and hold only letters, digits, '_' and '-' "
                          + "(positions refer to it as '\(name)' and '\(name).end')", at: located.location)
                continue
            }
            if name == "full" {
                bag.error("'full' is the built-in arrangement of the whole timeline; choose another section name",
                          at: located.location)
            }
            guard let map = reader.mapping(value, key: "sections.\(name)") else { continue }
            map.checkKeys(in: context, known: ["at", "bars", "beats", "until", "length"])
            var resolver = PositionResolver(reader: reader, clock: clock, sections: result)
            resolver.invalid = invalid.subtracting([name])
            var start = previousEnd
            var startQuarter: Double?
            if let atNode = map["at"] {
                guard let position = reader.parse(atNode, key: "at", { (text) throws(ValueError) in
                    try Units.position(text, bare: .bars)
                }), let frame = resolver.frame(position, at: reader.location(atNode)) else { continue }
                start = frame
                if case .bar(let bar, let beat) = position { startQuarter = clock.quarters(bar: bar, beat: Double(beat)) }
            }
            let startQuarters = startQuarter ?? clock.quarter(atSeconds: Double(start) / Double(clock.sampleRate))
            let lengthKeys = ["bars", "beats", "until", "length"].filter { map[$0] != nil }
            guard lengthKeys.count == 1, let key = lengthKeys.first, let lengthNode = map[key] else {
                if lengthKeys.isEmpty {
                    bag.error("section '\(name)' needs its length: one of 'bars', 'beats', 'until' or 'length'",
                              at: reader.location(value))
                } else {
                    bag.error("section '\(name)' gives its length twice ('\(lengthKeys.joined(separator: "', '"))'): "
                              + "keep one", at: reader.location(map[lengthKeys[1]]!))
                }
                continue
            }
            var end: Int64?
            switch key {
            case "bars", "beats":
                guard let text = reader.scalar(lengthNode, key: key) else { continue }
                guard let count = Double(text.trimmingCharacters(in: .whitespaces)), count.isFinite, count > 0,
                      count <= 100_000 else {
                    bag.error("'\(key)' must be a positive number of \(key), found '\(text)'", at: reader.location(lengthNode))
                    continue
                }
                let endQuarter: Double
                if key == "bars" {
                    let (bar, beat) = clock.barBeat(atQuarter: startQuarters)
                    let whole = Int(count.rounded(.down))
                    let meter = clock.meter(atBar: bar + whole)
                    endQuarter = clock.quarters(bar: bar + whole, beat: beat)
                        + (count - Double(whole)) * meter.quartersPerBar
                } else {
                    let (bar, _) = clock.barBeat(atQuarter: startQuarters)
                    endQuarter = startQuarters + count * clock.meter(atBar: bar).quartersPerBeat
                }
                end = clock.sampleIndex(seconds: clock.seconds(atQuarter: endQuarter))
            case "until":
                end = resolver.frame(lengthNode, key: "until", bare: .bars)
            default:
                end = resolver.frames(lengthNode, key: "length", allowZero: false).map { start + $0 }
            }
            guard let end else { continue }
            if start < 0 {
                bag.error("section '\(name)' starts before the start of the timeline", at: reader.location(map["at"] ?? value))
                continue
            }
            guard end > start else {
                bag.error("section '\(name)' ends before it starts (\(end) ≤ \(start) smp): its length must be positive",
                          at: reader.location(lengthNode))
                continue
            }
            if let overlapped = result.first(where: { $0.start < end && start < $0.end }) {
                bag.error("section '\(name)' overlaps section '\(overlapped.name.value)' (line \(overlapped.name.location.line)): "
                          + "sections may leave gaps but must not overlap", at: located.location)
                continue
            }
            result.append(Section(name: located, start: start, end: end))
            invalid.remove(name)
            previousEnd = end
        }
        return (result.sorted { $0.start < $1.start }, invalid)
    }

    /// `arrangements: { radio: { play: [intro, verse, chorus], crossfade: 30 ms, tail: auto } }`
    func arrangements(_ node: Node?, time: PositionResolver) -> [Arrangement] {
        guard let node, !isNull(node), let mapping = reader.mapping(node, key: "arrangements") else { return [] }
        var result: [Arrangement] = []
        for (name, keyNode, value) in mapping.entries {
            let located = Located(name, at: reader.location(keyNode))
            if name == "full" {
                bag.error("'full' is built in (the whole timeline); give this arrangement another name", at: located.location)
                continue
            }
            let context = "in arrangement '\(name)'"
            var playNode: Node?
            var crossfade = Arrangement.defaultCrossfade
            var tail: TailSetting?
            if case .sequence = value {
                playNode = value
            } else if let map = reader.mapping(value, key: "arrangements.\(name)") {
                map.checkKeys(in: context, known: ["play", "crossfade", "tail"])
                playNode = map.require("play", in: context)
                if let node = map["crossfade"], let seconds = crossfadeSeconds(node, time: time) { crossfade = seconds }
                if let node = map["tail"] { tail = self.tail(node, key: "tail") }
            }
            guard let playNode else { continue }
            guard case .sequence(let list) = playNode else {
                bag.error("'play' must list sections in order, e.g. 'play: [intro, verse, chorus]'",
                          at: reader.location(playNode))
                continue
            }
            var entries: [Arrangement.Entry] = []
            for item in list {
                var sectionNode = item
                var override: Double?
                if case .mapping = item, let map = reader.mapping(item, key: "play") {
                    map.checkKeys(in: "in an entry of '\(name)'", known: ["section", "crossfade"])
                    guard let node = map.require("section", in: "in an entry of '\(name)'") else { continue }
                    sectionNode = node
                    if let node = map["crossfade"] { override = crossfadeSeconds(node, time: time) }
                }
                guard let section = reader.scalar(sectionNode, key: "play") else { continue }
                let names = time.sections.map(\.name.value)
                if !names.contains(section) {
                    if time.invalid.contains(section) { continue }
                    let known = names.isEmpty ? "; the recipe has no 'sections'" : "; sections: " + names.joined(separator: ", ")
                    bag.error("arrangement '\(name)' plays unknown section '\(section)'"
                              + Suggestions.hint(for: section, in: names + time.invalid.sorted()) + known,
                              at: reader.location(sectionNode))
                    continue
                }
                entries.append(Arrangement.Entry(section: Located(section, at: reader.location(sectionNode)),
                                                 crossfade: override))
            }
            if entries.isEmpty, !list.isEmpty { continue }
            if list.isEmpty { bag.error("arrangement '\(name)' plays nothing: list its sections", at: reader.location(playNode)) }
            let arrangement = Arrangement(name: located, play: entries, crossfade: crossfade, tail: tail)
            checkCrossfades(arrangement, sections: time.sections, sampleRate: time.clock.sampleRate)
            result.append(arrangement)
        }
        return result
    }

    private func crossfadeSeconds(_ node: Node, time: PositionResolver) -> Double? {
        guard let frames = time.frames(node, key: "crossfade") else { return nil }
        let seconds = Double(frames) / Double(time.clock.sampleRate)
        guard seconds <= 10 else {
            bag.error("'crossfade' is out of range: at most 10 s", at: reader.location(node))
            return nil
        }
        return seconds
    }

    /// A crossfade is centred on its edit: half of it must fit in each section it joins.
    private func checkCrossfades(_ arrangement: Arrangement, sections: [Section], sampleRate: Int) {
        func section(_ name: String) -> Section? { sections.first { $0.name.value == name } }
        for (previous, entry) in zip(arrangement.play, arrangement.play.dropFirst()) {
            guard let a = section(previous.section.value), let b = section(entry.section.value), a.end != b.start else { continue }
            let crossfade = entry.crossfade ?? arrangement.crossfade
            let frames = Int64((crossfade * Double(sampleRate)).rounded())
            if frames > min(a.length, b.length) {
                bag.error(String(format: "the %.0f ms crossfade from '%@' into '%@' is longer than ", crossfade * 1000,
                                 a.name.value, b.name.value) + "the shorter of the two sections; shorten it",
                          at: entry.section.location)
            }
        }
    }

    /// `mixes: { instrumental: { mute: [vox] }, acapella: { solo: [vox] }, quiet: { gain: { vox: -3 dB } } }`
    func mixes(_ node: Node?) -> [MixVariant] {
        guard let node, !isNull(node), let mapping = reader.mapping(node, key: "mixes") else { return [] }
        var result: [MixVariant] = []
        for (name, keyNode, value) in mapping.entries {
            let located = Located(name, at: reader.location(keyNode))
            if name == "main" {
                bag.error("'main' is built in (the mix as written); give this mix another name", at: located.location)
                continue
            }
            var mix = MixVariant(name: located, mute: [], solo: [], gain: [], bypass: [])
            guard isNull(value) || reader.mapping(value, key: "mixes.\(name)") != nil else { continue }
            if isNull(value) { result.append(mix); continue }
            let map = reader.mapping(value, key: "mixes.\(name)")!
            map.checkKeys(in: "in mix '\(name)'", known: ["mute", "solo", "gain", "bypass"])
            func names(_ key: String) -> [Located<String>] {
                guard let node = map[key] else { return [] }
                let items: [Node]
                if case .sequence(let list) = node { items = Array(list) } else { items = [node] }
                return items.compactMap { item in reader.scalar(item, key: key).map { Located($0, at: reader.location(item)) } }
            }
            mix.mute = names("mute")
            mix.solo = names("solo")
            mix.bypass = names("bypass")
            if let node = map["gain"], let gains = reader.mapping(node, key: "gain") {
                for (strip, stripKey, levelNode) in gains.entries {
                    if let value = level(levelNode, key: "gain.\(strip)") {
                        mix.gain.append((Located(strip, at: reader.location(stripKey)), value))
                    }
                }
            }
            result.append(mix)
        }
        return result
    }

    /// `fade_in: 20 ms` or `fade_in: { length: 2 s, curve: s }`.
    func fade(_ node: Node, key: String) -> Fade? {
        var lengthNode = node
        var curve = AutomationCurve.s
        if case .mapping = node, let map = reader.mapping(node, key: key) {
            map.checkKeys(in: "in '\(key)'", known: ["length", "curve"])
            guard let length = map.require("length", in: "in '\(key)'") else { return nil }
            lengthNode = length
            if let curveNode = map["curve"], let value = self.curve(curveNode) { curve = value }
        }
        guard let text = reader.scalar(lengthNode, key: key) else { return nil }
        guard let seconds = try? Units.seconds(text), seconds >= 0, seconds <= 600 else {
            bag.error("'\(key)' must be a duration from 0 to 600 s such as '20 ms', found '\(text)'",
                      at: reader.location(lengthNode))
            return nil
        }
        return Fade(seconds: seconds, curve: curve)
    }

    func curve(_ node: Node) -> AutomationCurve? {
        guard let text = reader.scalar(node, key: "curve") else { return nil }
        if let curve = AutomationCurve(rawValue: text.lowercased()) { return curve }
        let names = AutomationCurve.allCases.map(\.rawValue)
        bag.error("'curve' must be linear, exp or s, found '\(text)'" + Suggestions.hint(for: text, in: names),
                  at: reader.location(node))
        return nil
    }
}
