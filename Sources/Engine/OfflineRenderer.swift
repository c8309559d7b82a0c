import Foundation
import AudioIO
import DSP
import RenderGraph

/// Evaluates a `RenderPlan` block by block and hands each output's block to a sink.
///
/// With `jobs == 1` nodes run in plan order on the calling thread (the reference); with more, independent nodes of
/// each block run concurrently on dedicated threads. Either way every node reads finished inputs, writes only its
/// own buffers, and sums its inputs in plan order, so the output is bit-identical for any `jobs` and block size
/// (stems decode in fixed internal chunks, so they do not depend on the block size either).
public final class OfflineRenderer: @unchecked Sendable {
    public let plan: RenderPlan
    public let blockSize: Int
    public let jobs: Int
    private let nodes: [EngineNode]
    private let scheduler: BlockScheduler

    /// Opens every stem and allocates every buffer; nothing allocates after this.
    public init(plan: RenderPlan, blockSize: Int = 1024, jobs: Int = 1) throws(AudioIOError) {
        precondition(blockSize > 0 && jobs > 0)
        self.plan = plan
        self.blockSize = blockSize
        self.jobs = jobs
        var nodes: [EngineNode] = []
        for node in plan.nodes {
            switch node.kind {
            case .stem(let source):
                nodes.append(try StemNode(name: node.name, source: source, sessionRate: plan.sampleRate,
                                          blockSize: blockSize, playback: plan.playback))
            case .strip(let strip):
                let stripNode = try StripNode(name: node.name, strip: strip, sampleRate: plan.sampleRate, blockSize: blockSize,
                                              playback: plan.playback)
                let inputs = node.inputs.map { edge in
                    DelayedInput(source: Self.buffer(of: edge, in: nodes), gain: Float(edge.gain), delay: edge.delay,
                                 blockSize: blockSize,
                                 automation: edge.automation.map { AutomationReader($0, playback: plan.playback) })
                }
                let keys = strip.inserts.map { insert in
                    insert.sidechain.map { key in
                        // The key is the strip's signal after its inserts, before fader and pan (unpanned: a
                        // centred mono key keeps its level).
                        DelayedInput(source: (nodes[key.node] as! StripNode).input, gain: 1, delay: key.delay,
                                     blockSize: blockSize)
                    }
                }
                stripNode.connect(inputs: inputs, keys: keys)
                nodes.append(stripNode)
            }
        }
        self.nodes = nodes
        scheduler = jobs == 1 ? SerialScheduler(nodeCount: plan.nodes.count)
            : ParallelScheduler(reads: plan.nodes.map(\.reads), outputs: plan.outputs.map(\.node), jobs: jobs)
    }

    deinit { (scheduler as? ParallelScheduler)?.shutdown() }

    private static func buffer(of edge: PlanEdge, in nodes: [EngineNode]) -> AudioBuffer {
        let source = nodes[edge.from]
        if edge.tap == .preFader, let strip = source as? StripNode { return strip.preFader! }
        return source.output
    }

    /// The buffer holding a node's output after each block.
    public func output(of node: Int) -> AudioBuffer { nodes[node].output }

    /// Renders the whole timeline. After every block, `sink` receives (output index, buffer, frames to take
    /// from the buffer starting at `first`), in order. The first `plan.latency` frames the engine renders are
    /// skipped, so outputs start at timeline zero however much latency the master path has.
    public func render(sink: (_ output: Int, _ buffer: AudioBuffer, _ first: Int, _ count: Int) throws -> Void)
        throws -> RenderReport {
        let total = plan.length + Int64(plan.latency)
        let blocks = Int((total + Int64(blockSize) - 1) / Int64(blockSize))
        // The block in which each node first failed, written only by the thread running that node.
        let failedBlock = UnsafeMutableBufferPointer<Int>.allocate(capacity: nodes.count)
        failedBlock.initialize(repeating: Int.max)
        defer { failedBlock.deallocate() }
        let stage = OutputStage(plan: plan, nodes: nodes, blockSize: blockSize, total: total)
        withoutActuallyEscaping(sink) { sink in
            // The scheduler returns only after every evaluation has ended, so neither outlives this call.
            let shared = UncheckedBox(sink)
            let failures = UncheckedBox(failedBlock)
            scheduler.render(blocks: blocks, evaluate: { [unowned self] node, block in
                let start = Int64(block) * Int64(self.blockSize)
                let engineNode = self.nodes[node]
                engineNode.render(start: start, frames: Int(min(Int64(self.blockSize), total - start)))
                if engineNode.failure != nil, failures.value[node] == Int.max { failures.value[node] = block }
                return engineNode.failure == nil
            }, finish: { block in stage.finish(block: block, sink: shared.value) })
        }
        // The first failure in plan order in the first block that failed, whatever thread hit it first.
        if let first = failedBlock.indices.min(by: { (failedBlock[$0], $0) < (failedBlock[$1], $1) }),
           failedBlock[first] != Int.max, let failure = nodes[first].failure {
            throw failure
        }
        if let error = stage.error { throw error }
        let frames = try stage.finishTail(sink: sink)
        let problems = nodes.compactMap { node -> NonFiniteReport? in
            guard node.nonFiniteSamples > 0 else { return nil }
            return NonFiniteReport(node: node.name, samples: node.nonFiniteSamples,
                                   firstSeconds: Double(node.firstNonFiniteFrame) / Double(plan.sampleRate))
        }
        let timings = StageTimings(decode: Double(nodes.reduce(0) { $0 + $1.decodeNanos }) / 1e9,
                                   dsp: Double(nodes.reduce(0) { $0 + $1.dspNanos }) / 1e9,
                                   sum: Double(nodes.reduce(0) { $0 + $1.sumNanos }) / 1e9)
        return RenderReport(frames: frames, nonFinite: problems, timings: timings)
    }
}

/// A value handed to the scheduler's threads that the render's structure makes safe to share: the threads use
/// it only while `render` waits for them, and one at a time.
private struct UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// After each block: skips the latency, hands the outputs' frames to the sink and holds back an automatic tail
/// until the render knows where it ends. Runs once per block, in block order (the scheduler's finish step).
private final class OutputStage: @unchecked Sendable {
    let plan: RenderPlan
    let nodes: [EngineNode]
    let blockSize: Int
    let total: Int64
    /// An automatic tail is held back (at most `length − contentLength` frames per output) until the render
    /// knows where every output has fallen below −90 dBFS; then it is cut there, the same for all outputs.
    let tailCapacity: Int
    let tails: [AudioBuffer]
    var lastLoud = -1  // index into the tail of the last sample above the threshold
    let threshold = Float(pow(10, TailTrim.thresholdDBFS / 20))
    /// The sink's error, which stops the render.
    var error: (any Error)?

    init(plan: RenderPlan, nodes: [EngineNode], blockSize: Int, total: Int64) {
        self.plan = plan
        self.nodes = nodes
        self.blockSize = blockSize
        self.total = total
        let capacity = plan.trimsTail ? Int(plan.length - plan.contentLength) : 0
        tailCapacity = capacity
        tails = (0..<(capacity > 0 ? plan.outputs.count : 0)).map { _ in
            AudioBuffer(channels: 2, capacity: max(1, capacity))
        }
    }

    /// Hands block `block` on; false (with `error` set) if the sink threw.
    func finish(block: Int, sink: (Int, AudioBuffer, Int, Int) throws -> Void) -> Bool {
        do {
            try deliver(block: block, sink: sink)
            return true
        } catch {
            self.error = error
            return false
        }
    }

    private func deliver(block: Int, sink: (Int, AudioBuffer, Int, Int) throws -> Void) throws {
        let start = Int64(block) * Int64(blockSize)
        let frames = Int(min(Int64(blockSize), total - start))
        let skip = Int(max(0, min(Int64(frames), Int64(plan.latency) - start)))
        guard skip < frames else { return }
        let outputStart = start + Int64(skip) - Int64(plan.latency)  // output frame of buffer[skip]
        var direct = frames - skip
        if tailCapacity > 0 { direct = Int(max(0, min(Int64(direct), plan.contentLength - outputStart))) }
        if direct > 0 {
            for (index, output) in plan.outputs.enumerated() {
                try sink(index, nodes[output.node].output, skip, direct)
            }
        }
        let held = frames - skip - direct
        guard held > 0 else { return }
        let at = Int(outputStart + Int64(direct) - plan.contentLength)
        for (index, output) in plan.outputs.enumerated() {
            let buffer = nodes[output.node].output
            for c in 0..<2 {
                let from = buffer[c] + skip + direct, to = tails[index][c] + at
                to.update(from: from, count: held)
                var i = held - 1
                while i > lastLoud - at, i >= 0 {
                    if abs(from[i]) > threshold { lastLoud = at + i; break }
                    i -= 1
                }
            }
        }
    }

    /// Hands on the held tail up to its last loud sample; returns the frames the render produced.
    func finishTail(sink: (Int, AudioBuffer, Int, Int) throws -> Void) throws -> Int64 {
        guard tailCapacity > 0 else { return plan.length }
        let keep = lastLoud + 1
        var offset = 0
        while offset < keep {
            let count = min(blockSize, keep - offset)
            for index in plan.outputs.indices { try sink(index, tails[index], offset, count) }
            offset += count
        }
        return plan.contentLength + Int64(keep)
    }
}

/// Where an automatic tail ends.
public enum TailTrim {
    /// Every output below this level (sample peak) from here on ends the tail.
    public static let thresholdDBFS = -90.0
}

/// Thread time spent in each stage, summed over nodes (seconds).
public struct StageTimings: Sendable, Equatable, Codable {
    /// Reading, decoding and resampling stems.
    public var decode: Double
    /// Inserts (processors).
    public var dsp: Double
    /// Summing inputs, fader, pan.
    public var sum: Double
}

/// A monotonic timestamp in nanoseconds (cheap: one clock_gettime).
@inline(__always) func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// What every runtime node offers the renderer. Each node is touched by one thread at a time (the scheduler runs
/// it once per block, after its inputs), hence `@unchecked Sendable` on the implementations.
class EngineNode: @unchecked Sendable {
    let name: String
    let output: AudioBuffer
    /// The first error this node hit (decoding a stem); the render stops after the block.
    var failure: AudioIOError?
    /// NaN/∞ samples found in this node's output, replaced by silence.
    var nonFiniteSamples = 0
    var firstNonFiniteFrame: Int64 = 0
    /// CPU time spent per stage by this node (nanoseconds), for `bounce bench`'s breakdown.
    var decodeNanos: UInt64 = 0, sumNanos: UInt64 = 0, dspNanos: UInt64 = 0

    init(name: String, output: AudioBuffer) {
        self.name = name
        self.output = output
    }

    func render(start: Int64, frames: Int) { fatalError("subclass") }

    /// Replaces NaN/∞ in the output with silence and counts them.
    final func sanitiseOutput(start: Int64, frames: Int) { sanitise(output, start: start, frames: frames) }

    /// Replaces NaN/∞ in `buffer` with silence and counts them against this node.
    final func sanitise(_ buffer: AudioBuffer, start: Int64, frames: Int) {
        var bad = 0
        for c in 0..<buffer.channelCount { bad += SignalKernels.sanitise(buffer[c], count: frames) }
        if bad > 0 {
            if nonFiniteSamples == 0 { firstNonFiniteFrame = start }
            nonFiniteSamples += bad
        }
    }
}

/// What happened during a render, beyond the audio itself.
public struct RenderReport: Sendable, Equatable {
    public var frames: Int64
    /// Nodes whose output contained NaN or infinity (replaced by silence).
    public var nonFinite: [NonFiniteReport]
    public var timings: StageTimings

    /// Nothing rendered yet: what several renders' reports are merged into.
    public static let empty = RenderReport(frames: 0, nonFinite: [],
                                           timings: StageTimings(decode: 0, dsp: 0, sum: 0))

    /// Adds another render's report (several arrangements or mixes in one delivery).
    public mutating func merge(_ other: RenderReport) {
        frames = max(frames, other.frames)
        nonFinite += other.nonFinite
        timings.decode += other.timings.decode
        timings.dsp += other.timings.dsp
        timings.sum += other.timings.sum
    }
}

public struct NonFiniteReport: Sendable, Equatable {
    public var node: String
    public var samples: Int
    public var firstSeconds: Double
}
