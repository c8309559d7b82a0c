import DSP
import Recipe

/// What the compiler needs to know about a stem file (read from its header by the caller).
public struct StemInfo: Sendable, Equatable {
    public var channels: Int
    public var sampleRate: Int
    public var frames: Int64

    public init(channels: Int, sampleRate: Int, frames: Int64) {
        self.channels = channels
        self.sampleRate = sampleRate
        self.frames = frames
    }
}

/// Compiles a validated recipe into a `RenderPlan`. Pure: same recipe and stem facts, same plan.
///
/// Steps: order the strips (tracks, buses, master) topologically over routes, sends and sidechain keys, with
/// declaration order breaking ties; emit each track's stem just before it; then walk the order once to compute
/// latencies (delaying the earlier inputs of every sum so they line up) and where each node's signal ends.
public enum RenderGraphCompiler {
    /// - Parameter stems: one entry per track, in `recipe.tracks` order.
    /// - Parameter impulseResponses: facts about every `ir:` file, by absolute path (read from headers by the caller).
    /// - Parameter selection: the arrangement, mix and tail to render (default: the whole timeline, the main mix).
    public static func compile(_ written: Recipe, stems: [StemInfo], maxBlockSize: Int = 1024,
                               impulseResponses: [String: ImpulseResponseFile] = [:],
                               selection: RenderSelection? = nil) -> RenderPlan {
        precondition(stems.count == written.tracks.count, "one StemInfo per track")
        let selection = selection ?? RenderSelection.full(written)
        let recipe = MixResolution.apply(selection.mix, to: written)
        let session = recipe.session
        let curve = panCurve(session.panLaw)
        let strips = StripTable(recipe)
        let playback = selection.play.map { playbackFor($0, recipe: recipe, endFade: selection.endFade) }
        let step = Int64((Automation.stepSeconds * Double(session.sampleRate)).rounded())

        // Topological order over strips; declaration order (tracks, buses, master) breaks ties.
        var placed = Set<Int>()
        var order: [Int] = []
        while order.count < strips.count {
            guard let next = (0..<strips.count).first(where: { index in
                !placed.contains(index) && strips.dependencies(of: index).allSatisfy(placed.contains)
            }) else { preconditionFailure("routing or sidechain cycle reached the compiler") }
            placed.insert(next)
            order.append(next)
        }

        var nodes: [PlanNode] = []
        var nodeOfStrip = [Int](repeating: -1, count: strips.count)
        var ends: [Int64] = []  // per node: frame (in the node's own output time) after which it is silent
        let keyed = Set(strips.all.flatMap { $0.inserts.compactMap { $0.sidechain?.value } })

        for stripIndex in order {
            let strip = strips.all[stripIndex]
            var inputs: [PlanEdge] = []
            var inputChannels = 2
            if let trackIndex = strip.trackIndex, strip.mute {
                // A muted track contributes nothing (its sends are muted too): its stem is not decoded at all.
                inputChannels = stems[trackIndex].channels
            } else if let trackIndex = strip.trackIndex {
                let track = recipe.tracks[trackIndex], info = stems[trackIndex]
                let stemID = nodes.count
                let frames = sessionFrames(info.frames, from: info.sampleRate, to: session.sampleRate)
                let resampler: StemSource.Resampler = info.sampleRate == session.sampleRate ? .none
                    : (session.resampler == .soxr ? .soxr : .libsamplerate)
                let offset = track.offsetFrames - InsertCompiler.advance(of: track.inserts)
                var source = StemSource(path: track.stemURL.path, channels: info.channels,
                                        fileSampleRate: info.sampleRate, fileFrames: info.frames, frames: frames,
                                        offset: offset, resampler: resampler)
                let rate = Double(session.sampleRate)
                if let fade = track.fadeIn {
                    source.fadeIn = min(frames, Int64((fade.seconds * rate).rounded()))
                    source.fadeCurve = envelopeCurve(fade.curve)
                }
                if let fade = track.fadeOut {
                    source.fadeOut = min(frames, Int64((fade.seconds * rate).rounded()))
                    if track.fadeIn == nil { source.fadeCurve = envelopeCurve(fade.curve) }
                }
                nodes.append(PlanNode(id: stemID, name: "\(track.name.value).stem", kind: .stem(source), inputs: [],
                                      channels: info.channels))
                ends.append(offset + frames)
                inputs = [PlanEdge(from: stemID, tap: .output, gain: 1, label: "stem")]
                inputChannels = info.channels
            } else {
                let target: Destination = strip.role == .master ? .master : .bus(strip.name)
                inputs = edges(into: target, strips: strips, nodeOfStrip: nodeOfStrip)
            }

            // Inserts with their traits; sidechain keys resolved to nodes.
            let active = strip.inserts.filter { !$0.bypass }
            let configurations = active.map { InsertCompiler.configuration(for: $0, impulseResponses: impulseResponses) }
            let processingChannels = configurations.contains(where: \.requiresStereo) ? 2 : inputChannels
            let spec = ProcessSpec(sampleRate: Double(session.sampleRate), maxBlockSize: maxBlockSize,
                                   channels: processingChannels)
            let traits = configurations.map { $0.traits(spec) }

            // Latency compensation: the input sum waits for its latest input and for every sidechain key
            // (a key must reach its processor no later than the signal does).
            var inputLatency = inputs.map { nodes[$0.from].latency }.max() ?? 0
            var prefix = 0
            var keyNodes: [Int?] = []
            for (insert, trait) in zip(active, traits) {
                let keyNode = insert.sidechain.flatMap { strips.index(named: $0.value) }.map { nodeOfStrip[$0] }
                if let keyNode { inputLatency = max(inputLatency, nodes[keyNode].latency - prefix) }
                keyNodes.append(keyNode)
                prefix += trait.latency
            }
            for index in inputs.indices { inputs[index].delay = inputLatency - nodes[inputs[index].from].latency }
            var planned: [PlannedInsert] = []
            prefix = 0
            for ((insert, configuration), (trait, keyNode)) in zip(zip(active, configurations), zip(traits, keyNodes)) {
                let sidechain = keyNode.map { SidechainInput(node: $0, delay: inputLatency + prefix - nodes[$0].latency) }
                var plannedInsert = PlannedInsert(processor: insert.processor.value, id: insert.id,
                                                  configuration: configuration, latency: trait.latency, tail: trait.tail,
                                                  sidechain: sidechain)
                plannedInsert.automation = parameterAutomation(for: insert, lanes: strip.automation,
                                                               latency: inputLatency + prefix, step: step)
                planned.append(plannedInsert)
                prefix += trait.latency
            }
            // Send automation: evaluated where the send is summed, after its compensation delay.
            if strip.role != .track {
                for index in inputs.indices where inputs[index].label.hasPrefix("send") {
                    guard let source = strips.strip(ofNode: inputs[index].from, nodeOfStrip: nodeOfStrip),
                          let lane = source.automation.first(where: { $0.target.value == .send(strip.name) }),
                          let send = source.sends.first(where: { $0.target.value == strip.name }) else { continue }
                    let latency = nodes[inputs[index].from].latency + inputs[index].delay
                    inputs[index].automation = PlanEnvelope(envelope: envelope(lane, base: send.levelDB, decibels: true,
                                                                               step: step), latency: latency)
                }
            }

            let gains: (left: Double, right: Double)
            switch strip.role {
            case .track: gains = curve.gains(pan: strip.pan)
            case .bus: gains = curve.balance(pan: strip.pan)
            case .master: gains = (1, 1)
            }
            var channelStrip = ChannelStrip(
                role: strip.role, gain: Decibels.toLinear(strip.gainDB), mute: strip.mute,
                panLeft: gains.left, panRight: gains.right, inputChannels: inputChannels,
                hasPreFaderTap: strip.sends.contains(where: \.preFader) || keyed.contains(strip.name),
                inserts: planned, processingChannels: processingChannels)
            let stripLatency = inputLatency + prefix
            if let lane = strip.automation.first(where: { $0.target.value == .gain }) {
                channelStrip.gainAutomation = PlanEnvelope(envelope: envelope(lane, base: strip.gainDB, decibels: true,
                                                                              step: step), latency: stripLatency)
            }
            if strip.role != .master, let lane = strip.automation.first(where: { $0.target.value == .pan }) {
                channelStrip.panAutomation = PlanEnvelope(envelope: envelope(lane, base: strip.pan, decibels: false,
                                                                             step: step), latency: stripLatency)
                channelStrip.panCurve = curve
            }
            let muted = strip.muteSections.compactMap { name in recipe.section(named: name.value) }
            if !muted.isEmpty {
                channelStrip.muteAutomation = PlanEnvelope(envelope: muteEnvelope(muted, step: step),
                                                           latency: stripLatency)
            }
            let id = nodes.count
            var node = PlanNode(id: id, name: strip.name, kind: .strip(channelStrip), inputs: inputs, channels: 2)
            node.latency = inputLatency + prefix
            nodes.append(node)
            nodeOfStrip[stripIndex] = id
            let inputEnd = inputs.map { ends[$0.from] + Int64($0.delay) }.max() ?? 0
            let tail = traits.reduce(0) { $0 + max(0, $1.tail) }
            ends.append(strip.mute ? 0 : inputEnd + Int64(prefix + tail))
        }

        let master = nodeOfStrip[strips.count - 1]
        let latency = nodes[master].latency
        // The music ends with the last stem (or the arrangement's last section); processors' declared tails
        // follow, bounded by the tail setting.
        let stemEnd = zip(nodes, ends).filter { if case .stem = $0.0.kind { return true } else { return false } }
            .map(\.1).max() ?? 0
        let processingTail = max(0, ends[master] - Int64(latency) - stemEnd)
        let content = playback?.length ?? max(0, stemEnd)
        let rate = Double(session.sampleRate)
        let length: Int64
        switch selection.tail {
        case .fixed(let seconds):
            length = content + Int64((seconds * rate).rounded())
        case .auto(let maxSeconds):
            // (An arrangement's last section fades out inside itself, so nothing sounds past `content` but tails.)
            length = content + min(processingTail, Int64((maxSeconds * rate).rounded()))
        }
        var outputs = [PlanOutput(deliverable: "mix", node: master)]
        for group in recipe.stemGroups {
            let members = strips.tracks(reaching: group.members.map(\.value))
            if let groupMaster = addStemCopies(group: group.name.value, tracks: members, order: order, strips: strips,
                                               nodeOfStrip: nodeOfStrip, nodes: &nodes) {
                outputs.append(PlanOutput(deliverable: "stems", stem: group.name.value, node: groupMaster))
            }
        }
        var plan = RenderPlan(title: recipe.metadata.title, sampleRate: session.sampleRate, length: length,
                              latency: latency, nodes: nodes, outputs: outputs)
        plan.arrangement = selection.arrangement
        plan.mix = selection.mix
        plan.contentLength = content
        if case .auto = selection.tail { plan.trimsTail = length > content }
        plan.playback = playback
        return plan
    }

    /// A stem group shares the track nodes with the mix and gets its own copy of every bus (and the master)
    /// that its tracks reach, fed only by the group's signals; a bus all of whose inputs are in the group is shared
    /// too (its signal is the mix's, bit for bit). Copies keep the originals' edge delays (their
    /// sources have the same latency), so stems line up with the mix sample for sample; sidechain keys still
    /// read the full mix's nodes, so ducking in a stem follows the real key. Returns the group's master copy.
    static func addStemCopies(group: String, tracks: Set<Int>, order: [Int], strips: StripTable, nodeOfStrip: [Int],
                              nodes: inout [PlanNode]) -> Int? {
        var copyOf: [Int: Int] = [:]  // original node → this group's copy
        for stripIndex in order where strips.all[stripIndex].role != .track {
            let original = nodes[nodeOfStrip[stripIndex]]
            let inputs: [PlanEdge] = original.inputs.compactMap { edge in
                if let copy = copyOf[edge.from] { var e = edge; e.from = copy; return e }
                if let track = strips.trackStrip(ofNode: edge.from, nodeOfStrip: nodeOfStrip), tracks.contains(track) {
                    return edge
                }
                return nil
            }
            guard !inputs.isEmpty || strips.all[stripIndex].role == .master else { continue }
            // A bus whose every input the group keeps (a group bus named in the group) computes exactly the mix's
            // signal: share the mix's node instead of running its inserts again.
            if inputs == original.inputs {
                copyOf[original.id] = original.id
                continue
            }
            var copy = original
            copy.id = nodes.count
            copy.name = "\(original.name) [stem \(group)]"
            copy.inputs = inputs
            copyOf[original.id] = copy.id
            nodes.append(copy)
        }
        return copyOf[nodeOfStrip[strips.count - 1]]
    }

    /// Frames a stem covers at the session rate.
    public static func sessionFrames(_ frames: Int64, from fileRate: Int, to sessionRate: Int) -> Int64 {
        if fileRate == sessionRate { return frames }
        // Exact integer rounding of frames × sessionRate / fileRate (half up).
        let numerator = frames * Int64(sessionRate)
        return (numerator + Int64(fileRate) / 2) / Int64(fileRate)
    }

    static func panCurve(_ law: PanLaw) -> PanCurve {
        switch law {
        case .minus3dB: return .constantPower
        case .minus4_5dB: return .compromise
        case .minus6dB: return .linear
        case .zeroDB: return .constantPowerUnityCentre
        }
    }

    /// The inputs of a bus or the master, in declaration order: tracks, then buses; for each, the route and
    /// then the send.
    static func edges(into target: Destination, strips: StripTable, nodeOfStrip: [Int]) -> [PlanEdge] {
        var result: [PlanEdge] = []
        for (index, strip) in strips.all.enumerated() where strip.role != .master {
            let node = nodeOfStrip[index]
            guard node >= 0 else { continue }
            if strip.destination == target { result.append(PlanEdge(from: node, tap: .output, gain: 1, label: "route")) }
            if case .bus(let name) = target, let send = strip.sends.first(where: { $0.target.value == name }) {
                result.append(PlanEdge(from: node, tap: send.preFader ? .preFader : .output,
                                       gain: Decibels.toLinear(send.levelDB),
                                       label: send.preFader ? "send (pre)" : "send"))
            }
        }
        return result
    }
}

/// Tracks, buses and the master as one list of strips (declaration order), for ordering and lookups.
struct StripTable {
    struct Strip {
        var name: String
        var role: ChannelStrip.Role
        var trackIndex: Int?
        var gainDB: Double
        var pan: Double
        var mute: Bool
        /// Where it sends its output; for the master, itself (`.master`) as the sum target.
        var destination: Destination
        var sends: [Send]
        var inserts: [Insert]
        var automation: [Automation] = []
        var muteSections: [Located<String>] = []
    }

    let all: [Strip]
    private let indexByName: [String: Int]

    init(_ recipe: Recipe) {
        var strips = recipe.tracks.enumerated().map { index, track in
            Strip(name: track.name.value, role: .track, trackIndex: index, gainDB: track.gainDB, pan: track.pan,
                  mute: track.mute, destination: track.destination.value, sends: track.sends, inserts: track.inserts,
                  automation: track.automation, muteSections: track.muteSections)
        }
        strips += recipe.buses.map { bus in
            Strip(name: bus.name.value, role: .bus, trackIndex: nil, gainDB: bus.gainDB, pan: bus.pan, mute: bus.mute,
                  destination: bus.destination.value, sends: bus.sends, inserts: bus.inserts,
                  automation: bus.automation, muteSections: bus.muteSections)
        }
        strips.append(Strip(name: "master", role: .master, trackIndex: nil, gainDB: recipe.master.gainDB, pan: 0,
                            mute: false, destination: .master, sends: [], inserts: recipe.master.inserts,
                            automation: recipe.master.automation))
        all = strips
        var names: [String: Int] = [:]
        for (index, strip) in strips.enumerated() { names[strip.name] = index }
        indexByName = names
    }

    var count: Int { all.count }

    func index(named name: String) -> Int? { indexByName[name] }

    /// The strip (track or bus) whose strip node is `node`, if any.
    func strip(ofNode node: Int, nodeOfStrip: [Int]) -> Strip? {
        nodeOfStrip.firstIndex(of: node).map { all[$0] }
    }

    /// The strip index of the track whose strip node is `node`, if it is one.
    func trackStrip(ofNode node: Int, nodeOfStrip: [Int]) -> Int? {
        guard let index = nodeOfStrip.firstIndex(of: node), all[index].role == .track else { return nil }
        return index
    }

    /// Strip indices of the named tracks plus every track whose signal reaches a named bus (by routes or sends).
    func tracks(reaching names: [String]) -> Set<Int> {
        var result = Set<Int>()
        let wanted = Set(names)
        for (index, strip) in all.enumerated() where strip.role == .track {
            if wanted.contains(strip.name) || reaches(index, wanted) { result.insert(index) }
        }
        return result
    }

    private func reaches(_ index: Int, _ buses: Set<String>, depth: Int = 0) -> Bool {
        let strip = all[index]
        var targets: [String] = []
        if case .bus(let name) = strip.destination { targets.append(name) }
        targets += strip.sends.map(\.target.value)
        for target in targets {
            if buses.contains(target) { return true }
            if depth < all.count, let next = self.index(named: target), reaches(next, buses, depth: depth + 1) {
                return true
            }
        }
        return false
    }

    /// Strips whose signal this strip reads: its feeders (for buses and the master) and its sidechain keys.
    func dependencies(of index: Int) -> [Int] {
        let strip = all[index]
        var result = strip.inserts.compactMap { $0.sidechain.flatMap { self.index(named: $0.value) } }
        guard strip.role != .track else { return result }
        let target: Destination = strip.role == .master ? .master : .bus(strip.name)
        for (other, feeder) in all.enumerated() where feeder.role != .master {
            if feeder.destination == target || feeder.sends.contains(where: { .bus($0.target.value) == target }) {
                result.append(other)
            }
        }
        return result
    }
}
