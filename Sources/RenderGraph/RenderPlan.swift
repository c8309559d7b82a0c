/// The compiled form of a recipe: what the engine evaluates, in the order it evaluates it.
///
/// A plan is plain data (Equatable, Codable) so it can be printed (`bounce graph`), compared in tests, and
/// evaluated by any scheduler. Node indices are positions in `nodes`, which is a topological order: every input
/// of a node comes before it, and declaration order in the recipe breaks ties.
public struct RenderPlan: Sendable, Equatable, Codable {
    public var title: String
    public var sampleRate: Int
    /// Timeline length in frames at the session rate: up to the end of the last stem.
    public var length: Int64
    public var nodes: [PlanNode]
    public var outputs: [PlanOutput]

    public init(title: String, sampleRate: Int, length: Int64, nodes: [PlanNode], outputs: [PlanOutput]) {
        self.title = title
        self.sampleRate = sampleRate
        self.length = length
        self.nodes = nodes
        self.outputs = outputs
    }
}

public struct PlanNode: Sendable, Equatable, Codable {
    public var id: Int
    /// A readable name, unique within the plan: `kick`, `kick.stem`, `drums`, `master`.
    public var name: String
    public var kind: Kind
    /// Signals summed to form this node's input, in this exact order.
    public var inputs: [PlanEdge]
    /// Channels this node produces (1 for a mono stem; 2 otherwise).
    public var channels: Int

    public enum Kind: Sendable, Equatable, Codable {
        case stem(StemSource)
        case strip(ChannelStrip)
    }

    public init(id: Int, name: String, kind: Kind, inputs: [PlanEdge], channels: Int) {
        self.id = id
        self.name = name
        self.kind = kind
        self.inputs = inputs
        self.channels = channels
    }
}

/// A stem file streamed onto the timeline.
public struct StemSource: Sendable, Equatable, Codable {
    /// Absolute path of the file.
    public var path: String
    public var channels: Int
    /// The file's own rate; differs from the session rate when the stream resamples.
    public var fileSampleRate: Int
    public var fileFrames: Int64
    /// Frames the stem covers on the timeline at the session rate: round(fileFrames × sessionRate / fileRate).
    public var frames: Int64
    /// Timeline frame of the stem's first sample (may be negative: the head is skipped).
    public var offset: Int64
    public var resampler: Resampler

    public enum Resampler: String, Sendable, Equatable, Codable { case none, soxr, libsamplerate }

    public init(path: String, channels: Int, fileSampleRate: Int, fileFrames: Int64, frames: Int64, offset: Int64,
                resampler: Resampler) {
        self.path = path
        self.channels = channels
        self.fileSampleRate = fileSampleRate
        self.fileFrames = fileFrames
        self.frames = frames
        self.offset = offset
        self.resampler = resampler
    }
}

/// A track, bus or the master: input sum → fader → pan/balance. Sends are edges taken from its taps.
public struct ChannelStrip: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Equatable, Codable { case track, bus, master }
    public var role: Role
    /// Fader gain (linear).
    public var gain: Double
    public var mute: Bool
    /// Pan or balance gains (linear) applied after the fader.
    public var panLeft: Double
    public var panRight: Double
    /// Channels of the summed input before panning (1 only for a track fed by a mono stem).
    public var inputChannels: Int
    /// Whether a pre-fader send reads this strip (the engine then keeps a pre-fader tap).
    public var hasPreFaderTap: Bool

    public init(role: Role, gain: Double, mute: Bool, panLeft: Double, panRight: Double, inputChannels: Int,
                hasPreFaderTap: Bool) {
        self.role = role
        self.gain = gain
        self.mute = mute
        self.panLeft = panLeft
        self.panRight = panRight
        self.inputChannels = inputChannels
        self.hasPreFaderTap = hasPreFaderTap
    }
}

/// One input of a sum: a node's signal at a tap, times a gain.
public struct PlanEdge: Sendable, Equatable, Codable {
    public enum Tap: String, Sendable, Equatable, Codable {
        /// The node's output (post-fader, post-pan).
        case output
        /// After the input sum, before the fader, with the strip's pan applied (pre-fader sends).
        case preFader
    }
    public var from: Int
    public var tap: Tap
    /// Linear gain applied as the edge is summed (send level; 1 for a plain route).
    public var gain: Double
    /// What the edge is, for printing: "route", "send", "send (pre)", "stem".
    public var label: String

    public init(from: Int, tap: Tap, gain: Double, label: String) {
        self.from = from
        self.tap = tap
        self.gain = gain
        self.label = label
    }
}

/// A signal written to a file: for now the main mix from the master.
public struct PlanOutput: Sendable, Equatable, Codable {
    /// The `{deliverable}` name: `mix`.
    public var deliverable: String
    public var node: Int

    public init(deliverable: String, node: Int) {
        self.deliverable = deliverable
        self.node = node
    }
}
