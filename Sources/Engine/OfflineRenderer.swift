import AudioIO
import DSP
import RenderGraph

/// Evaluates a `RenderPlan` block by block, in plan order, and hands each output's block to a sink.
///
/// This is the serial reference scheduler: one thread, nodes in topological order, sums in plan order. Output
/// does not depend on the block size: every node is either memoryless per sample or (stems) streams in fixed
/// internal chunks.
public final class OfflineRenderer {
    public let plan: RenderPlan
    public let blockSize: Int
    private var stems: [Int: StemNode] = [:]
    private var strips: [Int: StripNode] = [:]
    /// Per node: output buffers in plan order (avoids dictionary lookups per block).
    private var order: [Evaluation] = []
    private var nonFinite: [Int: (count: Int, firstFrame: Int64)] = [:]

    private enum Evaluation {
        case stem(StemNode)
        case strip(StripNode, id: Int)
    }

    /// Opens every stem and allocates every buffer. Nothing allocates after this.
    public init(plan: RenderPlan, blockSize: Int = 1024) throws(AudioIOError) {
        precondition(blockSize > 0)
        self.plan = plan
        self.blockSize = blockSize
        for node in plan.nodes {
            switch node.kind {
            case .stem(let source):
                let stem = try StemNode(source: source, sessionRate: plan.sampleRate, blockSize: blockSize)
                stems[node.id] = stem
                order.append(.stem(stem))
            case .strip(let strip):
                let stripNode = StripNode(strip: strip, blockSize: blockSize)
                stripNode.connect(node.inputs.map { edge in (buffer(of: edge), Float(edge.gain)) })
                strips[node.id] = stripNode
                order.append(.strip(stripNode, id: node.id))
            }
        }
    }

    private func buffer(of edge: PlanEdge) -> AudioBuffer {
        if let stem = stems[edge.from] { return stem.output }
        let strip = strips[edge.from]!
        return edge.tap == .preFader ? strip.preFader! : strip.output
    }

    /// The buffer holding a node's output after each block.
    public func output(of node: Int) -> AudioBuffer {
        stems[node]?.output ?? strips[node]!.output
    }

    /// Renders the whole timeline. `sink` receives (output index, buffer, frames) after every block.
    public func render(sink: (Int, AudioBuffer, Int) throws -> Void) throws -> RenderReport {
        var start: Int64 = 0
        while start < plan.length {
            let frames = Int(min(Int64(blockSize), plan.length - start))
            try renderBlock(start: start, frames: frames)
            for (index, output) in plan.outputs.enumerated() {
                try sink(index, self.output(of: output.node), frames)
            }
            start += Int64(frames)
        }
        let problems = nonFinite.keys.sorted().map { id in
            NonFiniteReport(node: plan.nodes[id].name, samples: nonFinite[id]!.count,
                            firstSeconds: Double(nonFinite[id]!.firstFrame) / Double(plan.sampleRate))
        }
        return RenderReport(frames: plan.length, nonFinite: problems)
    }

    private func renderBlock(start: Int64, frames: Int) throws(AudioIOError) {
        for evaluation in order {
            switch evaluation {
            case .stem(let stem):
                try stem.render(start: start, frames: frames)
            case .strip(let strip, let id):
                strip.render(frames: frames)
                var bad = 0
                for c in 0..<2 { bad += SignalKernels.sanitise(strip.output[c], count: frames) }
                if bad > 0 {
                    let previous = nonFinite[id]
                    nonFinite[id] = ((previous?.count ?? 0) + bad, previous?.firstFrame ?? start)
                }
            }
        }
    }
}

/// What happened during a render, beyond the audio itself.
public struct RenderReport: Sendable, Equatable {
    public var frames: Int64
    /// Nodes whose output contained NaN or infinity (replaced by silence).
    public var nonFinite: [NonFiniteReport]
}

public struct NonFiniteReport: Sendable, Equatable {
    public var node: String
    public var samples: Int
    public var firstSeconds: Double
}
