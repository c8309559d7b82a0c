import Foundation

/// Checks that need the whole recipe: names, routing, cycles, and the stem files.
struct RecipeValidator {
    let recipe: Recipe
    let bag: DiagnosticBag

    func validate() {
        checkNames()
        checkRouting()
        checkCycles()
        checkStems()
        checkOffsets()
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

    /// Bus → bus edges (outputs and sends) must form a DAG; a cycle is reported once, as its path.
    private func checkCycles() {
        let order = busNames
        var edges: [String: [(String, SourceLocation)]] = [:]
        for bus in recipe.buses {
            var targets: [(String, SourceLocation)] = []
            if case .bus(let name) = bus.destination.value { targets.append((name, bus.destination.location)) }
            targets += bus.sends.map { ($0.target.value, $0.target.location) }
            edges[bus.name.value] = targets.filter { order.contains($0.0) }
        }
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []
        var reported = Set<String>()

        func visit(_ bus: String) {
            marks[bus] = .visiting
            path.append(bus)
            for (next, location) in edges[bus] ?? [] {
                switch marks[next] {
                case .visiting:
                    let cycle = Array(path[path.firstIndex(of: next)!...]) + [next]
                    let key = Set(cycle).sorted().joined(separator: ",")
                    if reported.insert(key).inserted {
                        bag.error("routing cycle: \(cycle.joined(separator: " → ")); a bus cannot feed itself",
                                  at: location)
                    }
                case .done:
                    break
                case nil:
                    visit(next)
                }
            }
            path.removeLast()
            marks[bus] = .done
        }
        for bus in order where marks[bus] == nil { visit(bus) }
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

    /// How far from the start of the timeline an offset may be; also keeps sample indices far from overflow.
    static let maximumOffsetSeconds = 24.0 * 60 * 60

    private func checkOffsets() {
        let session = recipe.session
        for track in recipe.tracks {
            if case .bar(let bar, let beat) = track.offset.value, beat > session.meter.beatsPerBar {
                bag.error("offset: beat \(beat) does not exist in a \(session.meter) bar (bar \(bar))",
                          at: track.offset.location)
                continue
            }
            // In floating point, so that absurd values are reported instead of overflowing the sample clock.
            let seconds: Double
            switch track.offset.value {
            case .seconds(let value):
                seconds = value
            case .samples(let count):
                seconds = Double(count) / Double(session.sampleRate)
            case .bar(let bar, let beat):
                let beats = (Double(bar) - 1) * Double(session.meter.beatsPerBar) + Double(beat - 1)
                seconds = beats * session.clock.secondsPerBeat
            }
            if !(seconds.magnitude <= Self.maximumOffsetSeconds) {
                bag.error("offset: \(track.offset.value) is out of range: an offset must be within 24 hours of the "
                          + "start of the timeline", at: track.offset.location)
            }
        }
    }
}
