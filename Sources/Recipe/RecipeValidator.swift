import Foundation

/// Checks that need the whole recipe: names, routing, cycles, and the stem files.
struct RecipeValidator {
    let recipe: Recipe
    let bag: DiagnosticBag

    func validate() {
        checkNames()
        checkRouting()
        checkInserts()
        checkStemGroups()
        checkDeliverables()
        checkCycles()
        checkStems()
        checkMusicalNames()
    }

    /// Section mutes, mix variants and deliverables name things that exist.
    private func checkMusicalNames() {
        let sectionNames = recipe.sections.map(\.name.value)
        func checkSection(_ name: Located<String>, in what: String) {
            guard !sectionNames.contains(name.value), !recipe.invalidSections.contains(name.value) else { return }
            bag.error("\(what) names unknown section '\(name.value)'" + Suggestions.hint(for: name.value, in: sectionNames)
                      + (sectionNames.isEmpty ? "; the recipe has no 'sections'" : ""), at: name.location)
        }
        for track in recipe.tracks { for name in track.muteSections { checkSection(name, in: "'mute' of '\(track.name.value)'") } }
        for bus in recipe.buses { for name in bus.muteSections { checkSection(name, in: "'mute' of '\(bus.name.value)'") } }
        let strips = recipe.tracks.map(\.name.value) + busNames
        for mix in recipe.mixes {
            for name in mix.mute + mix.solo + mix.gain.map(\.name) where !strips.contains(name.value) {
                bag.error("mix '\(mix.name.value)' names '\(name.value)', which is no track or bus"
                          + Suggestions.hint(for: name.value, in: strips), at: name.location)
            }
            for name in mix.bypass where MixResolution.insert(named: name.value, in: recipe) == nil {
                bag.error("mix '\(mix.name.value)' bypasses '\(name.value)', which names no insert: write 'strip.id', "
                          + "'strip.processor' (e.g. 'master.limiter') or an insert id used once", at: name.location)
            }
        }
        let arrangements = ["full"] + recipe.arrangements.map(\.name.value)
        let mixes = ["main"] + recipe.mixes.map(\.name.value)
        for d in recipe.deliverables {
            if let name = d.arrangement, !arrangements.contains(name.value) {
                bag.error("deliverable '\(d.name.value)' uses unknown arrangement '\(name.value)'"
                          + Suggestions.hint(for: name.value, in: arrangements) + "; arrangements: "
                          + arrangements.joined(separator: ", "), at: name.location)
            }
            if let name = d.mix, !mixes.contains(name.value) {
                bag.error("deliverable '\(d.name.value)' uses unknown mix '\(name.value)'"
                          + Suggestions.hint(for: name.value, in: mixes) + "; mixes: " + mixes.joined(separator: ", "),
                          at: name.location)
            }
            for side in d.sides { for name in side.sections { checkSection(name, in: "side '\(side.name.value)'") } }
            if !d.sides.isEmpty, d.arrangement != nil {
                bag.error("'sides' already says what plays on each side: remove 'arrangement'", at: d.arrangement!.location)
            }
            if !d.sides.isEmpty, d.stems {
                bag.error("'sides' does not apply to stems", at: d.locations["sides"] ?? d.name.location)
            }
        }
    }

    private var busNames: [String] { recipe.buses.map(\.name.value) }

    private func checkNames() {
        var firstUse: [String: SourceLocation] = [:]
        let all = recipe.tracks.map { ($0.name, "track") } + recipe.buses.map { ($0.name, "bus") }
        for (name, kind) in all {
            if name.value == "master" {
                bag.error("'master' is reserved for the master bus; choose another name for this \(kind)", at: name.location)
                continue
            }
            if name.value.trimmingCharacters(in: .whitespaces).isEmpty {
                bag.error("a \(kind) needs a name", at: name.location)
                continue
            }
            if let first = firstUse[name.value] {
                bag.error("the name '\(name.value)' is already used at line \(first.line); tracks and buses need unique names",
                          at: name.location)
            } else {
                firstUse[name.value] = name.location
            }
        }
    }

    private func checkRouting() {
        let trackNames = Set(recipe.tracks.map(\.name.value))
        func check(_ destination: Located<Destination>, from owner: String) {
            guard case .bus(let name) = destination.value, !busNames.contains(name) else { return }
            if trackNames.contains(name) {
                bag.error("'\(owner)' is routed to '\(name)', which is a track: only buses and master receive audio",
                          at: destination.location)
            } else {
                bag.error("'\(owner)' is routed to unknown bus '\(name)'"
                          + Suggestions.hint(for: name, in: busNames + ["master"]), at: destination.location)
            }
        }
        func check(_ sends: [Send], from owner: String) {
            var seen = Set<String>()
            for send in sends {
                let name = send.target.value
                if !seen.insert(name).inserted {
                    bag.error("'\(owner)' sends to '\(name)' twice", at: send.target.location)
                } else if name == "master" {
                    bag.error("'\(owner)' sends to master: sends feed buses; use 'bus: master' to route to master",
                              at: send.target.location)
                } else if trackNames.contains(name) {
                    bag.error("'\(owner)' sends to '\(name)', which is a track: sends feed buses", at: send.target.location)
                } else if !busNames.contains(name) {
                    bag.error("'\(owner)' sends to unknown bus '\(name)'" + Suggestions.hint(for: name, in: busNames),
                              at: send.target.location)
                }
            }
        }
        for track in recipe.tracks {
            check(track.destination, from: track.name.value)
            check(track.sends, from: track.name.value)
        }
        for bus in recipe.buses {
            check(bus.destination, from: bus.name.value)
            check(bus.sends, from: bus.name.value)
        }
    }

    /// Routes, sends and sidechain keys between strips must form a DAG; each cycle is reported once, as its path,
    /// at the edge that closes it. `→` is a route or send, `⇢` a sidechain key.
    private func checkCycles() {
        struct Edge { var to: String; var location: SourceLocation; var sidechain: Bool }
        var order: [String] = recipe.tracks.map(\.name.value) + busNames
        let known = Set(order)
        var edges: [String: [Edge]] = [:]
        func add(from: String, _ edge: Edge) {
            guard known.contains(from), known.contains(edge.to) else { return }
            edges[from, default: []].append(edge)
        }
        let strips: [(name: String, destination: Located<Destination>?, sends: [Send], inserts: [Insert])] =
            recipe.tracks.map { ($0.name.value, $0.destination, $0.sends, $0.inserts) }
            + recipe.buses.map { ($0.name.value, $0.destination, $0.sends, $0.inserts) }
            + [("master", nil, [], recipe.master.inserts)]
        order.append("master")
        for strip in strips {
            if let destination = strip.destination, case .bus(let name) = destination.value {
                add(from: strip.name, Edge(to: name, location: destination.location, sidechain: false))
            }
            for send in strip.sends {
                add(from: strip.name, Edge(to: send.target.value, location: send.target.location, sidechain: false))
            }
        }
        // Keys into the master chain cannot close a cycle (the master feeds nothing), so `add` drops them;
        // a strip keying itself is reported by checkInserts.
        for strip in strips {
            for insert in strip.inserts {
                guard let key = insert.sidechain, key.value != strip.name else { continue }
                add(from: key.value, Edge(to: strip.name, location: key.location, sidechain: true))
            }
        }
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [(name: String, sidechain: Bool)] = []
        var reported = Set<String>()

        func visit(_ node: String) {
            marks[node] = .visiting
            for edge in edges[node] ?? [] {
                path.append((node, edge.sidechain))
                switch marks[edge.to] {
                case .visiting:
                    let start = path.firstIndex { $0.name == edge.to }!
                    let cycle = Array(path[start...])
                    var text = ""
                    for step in cycle { text += "\(step.name) \(step.sidechain ? "⇢" : "→") " }
                    text += edge.to
                    let key = Set(cycle.map(\.name)).sorted().joined(separator: ",")
                    if reported.insert(key).inserted {
                        if cycle.contains(where: \.sidechain) {
                            bag.error("sidechain cycle: \(text); a processor cannot be keyed by a signal that depends "
                                      + "on its own output (⇢ marks a sidechain key)", at: edge.location)
                        } else {
                            bag.error("routing cycle: \(text); a bus cannot feed itself", at: edge.location)
                        }
                    }
                case .done:
                    break
                case nil:
                    visit(edge.to)
                }
                path.removeLast()
            }
            marks[node] = .done
        }
        for node in order where marks[node] == nil { visit(node) }
    }

    /// Tag keys Bounce can write; a stems deliverable needs stem groups.
    private func checkDeliverables() {
        let tagKeys = ["title", "artist", "album", "date", "year", "comment", "copyright", "genre", "track_number"]
        for d in recipe.deliverables {
            if d.stems && recipe.stemGroups.isEmpty {
                bag.error("deliverable '\(d.name.value)' uses the stems preset, but the recipe has no 'stems_out' groups",
                          at: d.name.location)
            }
            for (key, _) in d.tags where !tagKeys.contains(key) {
                bag.error("tag '\(key)' cannot be written" + Suggestions.hint(for: key, in: tagKeys)
                          + "; tags: " + tagKeys.joined(separator: ", "),
                          at: d.locations["tags.\(key)"] ?? d.locations["tags"] ?? d.name.location)
            }
        }
    }

    /// Stem groups name existing tracks or buses, once each; group names are unique.
    private func checkStemGroups() {
        let names = recipe.tracks.map(\.name.value) + busNames
        var groupNames = Set<String>()
        for group in recipe.stemGroups {
            if !groupNames.insert(group.name.value).inserted {
                bag.error("stem group '\(group.name.value)' is defined twice", at: group.name.location)
            }
            var seen = Set<String>()
            for member in group.members {
                if !names.contains(member.value) {
                    bag.error("stem group '\(group.name.value)' names '\(member.value)', which is no track or bus"
                              + Suggestions.hint(for: member.value, in: names), at: member.location)
                } else if !seen.insert(member.value).inserted {
                    bag.error("'\(member.value)' is listed twice in stem group '\(group.name.value)'", at: member.location)
                }
            }
        }
    }

    /// Sidechain keys name a track or bus; trim advances (negative trims) only work on tracks.
    private func checkInserts() {
        let names = recipe.tracks.map(\.name.value) + busNames
        let strips: [(String, [Insert], Bool)] = recipe.tracks.map { ($0.name.value, $0.inserts, true) }
            + recipe.buses.map { ($0.name.value, $0.inserts, false) } + [("master", recipe.master.inserts, false)]
        for (owner, inserts, isTrack) in strips {
            var ids = Set<String>()
            for insert in inserts {
                if let id = insert.id, !ids.insert(id).inserted {
                    bag.error("insert id '\(id)' is used twice on '\(owner)'", at: insert.processor.location)
                }
                if let key = insert.sidechain {
                    if key.value == "master" {
                        bag.error("the master cannot key a sidechain: everything feeds it", at: key.location)
                    } else if !names.contains(key.value) {
                        bag.error("sidechain '\(key.value)' names no track or bus" + Suggestions.hint(for: key.value, in: names),
                                  at: key.location)
                    } else if key.value == owner {
                        bag.error("'\(owner)' cannot key its own \(insert.processor.value); name another track or bus",
                                  at: key.location)
                    }
                }
                if insert.processor.value == "trim", !isTrack, !insert.bypass,
                   case .number(let samples)? = insert.parameters["time"], samples < 0 {
                    bag.error("a negative trim (advance) only works on tracks, where the stem can start earlier; "
                              + "on '\(owner)' use a positive trim", at: insert.locations["time"] ?? insert.processor.location)
                }
            }
        }
    }

    private func checkStems() {
        let manager = FileManager.default
        for track in recipe.tracks {
            let path = track.stemURL.path
            var isDirectory: ObjCBool = false
            if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
                let folder = track.stemURL.deletingLastPathComponent()
                let siblings = (try? manager.contentsOfDirectory(atPath: folder.path))?.sorted() ?? []
                let hint = Suggestions.hint(for: track.stemURL.lastPathComponent, in: siblings)
                bag.error("stem file '\(track.stem.value)' not found (looked for \(path))\(hint)", at: track.stem.location)
            } else if isDirectory.boolValue {
                bag.error("stem '\(track.stem.value)' is a folder, not an audio file", at: track.stem.location)
            } else if !manager.isReadableFile(atPath: path) {
                bag.error("stem file '\(track.stem.value)' is not readable (check its permissions)", at: track.stem.location)
            }
        }
    }

    /// How far from the start of the timeline a position may be; also keeps sample indices far from overflow.
    static let maximumOffsetSeconds = 24.0 * 60 * 60
}
