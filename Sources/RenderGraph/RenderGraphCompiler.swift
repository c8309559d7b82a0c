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
public enum RenderGraphCompiler {
    /// - Parameter stems: one entry per track, in `recipe.tracks` order.
    public static func compile(_ recipe: Recipe, stems: [StemInfo]) -> RenderPlan {
        precondition(stems.count == recipe.tracks.count, "one StemInfo per track")
        let session = recipe.session
        let curve = panCurve(session.panLaw)
        var nodes: [PlanNode] = []
        var trackNodes: [Int] = []

        // Tracks in declaration order, each preceded by its stem.
        for (track, info) in zip(recipe.tracks, stems) {
            let stemID = nodes.count
            let frames = sessionFrames(info.frames, from: info.sampleRate, to: session.sampleRate)
            let resampler: StemSource.Resampler = info.sampleRate == session.sampleRate ? .none
                : (session.resampler == .soxr ? .soxr : .libsamplerate)
            let source = StemSource(path: track.stemURL.path, channels: info.channels, fileSampleRate: info.sampleRate,
                                    fileFrames: info.frames, frames: frames,
                                    offset: session.clock.sampleIndex(of: track.offset.value), resampler: resampler)
            nodes.append(PlanNode(id: stemID, name: "\(track.name.value).stem", kind: .stem(source), inputs: [],
                                  channels: info.channels))
            let pan = curve.gains(pan: track.pan)
            let strip = ChannelStrip(role: .track, gain: Decibels.toLinear(track.gainDB), mute: track.mute,
                                     panLeft: pan.left, panRight: pan.right, inputChannels: info.channels,
                                     hasPreFaderTap: track.sends.contains(where: \.preFader))
            trackNodes.append(nodes.count)
            nodes.append(PlanNode(id: nodes.count, name: track.name.value, kind: .strip(strip),
                                  inputs: [PlanEdge(from: stemID, tap: .output, gain: 1, label: "stem")], channels: 2))
        }

        // Buses in dependency order, declaration order breaking ties (the validator has excluded cycles).
        var busNodes: [String: Int] = [:]
        var pending = recipe.buses
        while !pending.isEmpty {
            guard let index = pending.firstIndex(where: { bus in
                feeders(of: bus.name.value, in: recipe).buses.allSatisfy { busNodes[$0.name.value] != nil }
            }) else { preconditionFailure("routing cycle reached the compiler") }
            let bus = pending.remove(at: index)
            let balance = curve.balance(pan: bus.pan)
            let strip = ChannelStrip(role: .bus, gain: Decibels.toLinear(bus.gainDB), mute: bus.mute,
                                     panLeft: balance.left, panRight: balance.right, inputChannels: 2,
                                     hasPreFaderTap: bus.sends.contains(where: \.preFader))
            let id = nodes.count
            nodes.append(PlanNode(id: id, name: bus.name.value, kind: .strip(strip),
                                  inputs: edges(into: .bus(bus.name.value), recipe: recipe, trackNodes: trackNodes,
                                                busNodes: busNodes),
                                  channels: 2))
            busNodes[bus.name.value] = id
        }

        let master = ChannelStrip(role: .master, gain: Decibels.toLinear(recipe.master.gainDB), mute: false,
                                  panLeft: 1, panRight: 1, inputChannels: 2, hasPreFaderTap: false)
        let masterID = nodes.count
        nodes.append(PlanNode(id: masterID, name: "master", kind: .strip(master),
                              inputs: edges(into: .master, recipe: recipe, trackNodes: trackNodes, busNodes: busNodes),
                              channels: 2))

        let length = nodes.reduce(Int64(0)) { end, node in
            guard case .stem(let stem) = node.kind else { return end }
            return max(end, stem.offset + stem.frames)
        }
        return RenderPlan(title: recipe.metadata.title, sampleRate: session.sampleRate, length: length, nodes: nodes,
                          outputs: [PlanOutput(deliverable: "mix", node: masterID)])
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

    /// Tracks and buses that route or send into `bus`.
    static func feeders(of bus: String, in recipe: Recipe) -> (tracks: [Track], buses: [Bus]) {
        func feeds(_ destination: Destination, _ sends: [Send]) -> Bool {
            destination == .bus(bus) || sends.contains { $0.target.value == bus }
        }
        return (recipe.tracks.filter { feeds($0.destination.value, $0.sends) },
                recipe.buses.filter { feeds($0.destination.value, $0.sends) })
    }

    /// The inputs of a bus or the master, in declaration order: tracks, then buses; for each, the route and
    /// then the send.
    static func edges(into target: Destination, recipe: Recipe, trackNodes: [Int], busNodes: [String: Int])
        -> [PlanEdge] {
        var result: [PlanEdge] = []
        func add(from node: Int, destination: Destination, sends: [Send]) {
            if destination == target { result.append(PlanEdge(from: node, tap: .output, gain: 1, label: "route")) }
            if case .bus(let name) = target, let send = sends.first(where: { $0.target.value == name }) {
                result.append(PlanEdge(from: node, tap: send.preFader ? .preFader : .output,
                                       gain: Decibels.toLinear(send.levelDB),
                                       label: send.preFader ? "send (pre)" : "send"))
            }
        }
        for (track, node) in zip(recipe.tracks, trackNodes) {
            add(from: node, destination: track.destination.value, sends: track.sends)
        }
        for bus in recipe.buses {
            guard let node = busNodes[bus.name.value] else { continue }
            add(from: node, destination: bus.destination.value, sends: bus.sends)
        }
        return result
    }
}
