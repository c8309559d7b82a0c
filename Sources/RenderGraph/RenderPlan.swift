import DSP

/// The compiled form of a recipe: what the engine evaluates, in the order it evaluates it.
///
/// A plan is plain data (Equatable, Codable) so it can be printed (`bounce graph`), compared in tests, and
/// evaluated by any scheduler. Node indices are positions in `nodes`, which is a topological order: every input
/// of a node comes before it, and declaration order in the recipe breaks ties.
public struct RenderPlan: Sendable, Equatable, Codable {
    public var title: String
    public var sampleRate: Int
    /// Output length in frames at the session rate: up to the end of the last stem, plus declared tails.
    public var length: Int64
    /// Frames the engine renders before the output starts: the master path's latency. The engine renders
    /// `latency + length` frames and drops the first `latency`, so the output starts at timeline zero.
    public var latency: Int = 0
    public var nodes: [PlanNode]
    public var outputs: [PlanOutput]
    /// The arrangement and mix this plan renders (`full` and `main` by default).
    public var arrangement = "full"
    public var mix = "main"
    /// Output frames of the music itself: the arrangement's sections, or up to the end of the last stem. What
    /// follows, up to `length`, is tail.
    public var contentLength: Int64 = 0
    /// Whether the tail ends where every output falls below −90 dBFS (`length` is then the most it may last)
    /// or runs to `length` exactly.
    public var trimsTail = false
    /// How output frames map onto the timeline; nil: one to one (the whole timeline).
    public var playback: Playback?

    public init(title: String, sampleRate: Int, length: Int64, latency: Int = 0, nodes: [PlanNode],
                outputs: [PlanOutput]) {
        self.title = title
        self.sampleRate = sampleRate
        self.length = length
        self.latency = latency
        self.nodes = nodes
        self.outputs = outputs
        contentLength = length
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
    /// Samples by which this node's output lags the timeline (after compensation of its inputs).
    public var latency: Int = 0

    public enum Kind: Sendable, Equatable, Codable {
        case stem(StemSource)
        case strip(ChannelStrip)
    }

    /// Every node whose signal this node reads in a block: its inputs (routes and sends) and its inserts'
    /// sidechain keys. A scheduler must finish these first.
    public var reads: [Int] {
        var nodes = inputs.map(\.from)
        if case .strip(let strip) = kind { nodes += strip.inserts.compactMap { $0.sidechain?.node } }
        return nodes
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
    /// Fade-in and fade-out frames at the stem's first and last sample, and their curve.
    public var fadeIn: Int64 = 0
    public var fadeOut: Int64 = 0
    public var fadeCurve: Envelope.Curve = .s

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
    /// Whether a pre-fader send or a sidechain reads this strip (the engine then keeps a pre-fader tap).
    public var hasPreFaderTap: Bool
    /// Processors between the input sum and the fader, in order (bypassed ones are left out).
    public var inserts: [PlannedInsert] = []
    /// Channels the inserts run on: the input's, or 2 when an insert needs stereo on a mono track.
    public var processingChannels: Int = 2
    /// Fader automation in dB (replaces `gain`), section mutes as an amplitude 0…1, pan automation as a
    /// position −1…+1: each on the output timeline of the node (see `PlanEnvelope`).
    public var gainAutomation: PlanEnvelope?
    public var muteAutomation: PlanEnvelope?
    public var panAutomation: PlanEnvelope?
    /// The pan law, for pan automation.
    public var panCurve: PanCurve = .constantPower

    public init(role: Role, gain: Double, mute: Bool, panLeft: Double, panRight: Double, inputChannels: Int,
                hasPreFaderTap: Bool, inserts: [PlannedInsert] = [], processingChannels: Int? = nil) {
        self.inserts = inserts
        self.processingChannels = processingChannels ?? inputChannels
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
    /// Latency compensation: samples this input is delayed so that every input of the sum lines up.
    public var delay: Int = 0
    /// Send-level automation in dB (replaces `gain`).
    public var automation: PlanEnvelope?

    public init(from: Int, tap: Tap, gain: Double, label: String) {
        self.from = from
        self.tap = tap
        self.gain = gain
        self.label = label
    }
}

/// One processor on a strip.
public struct PlannedInsert: Sendable, Equatable, Codable {
    public var processor: String
    public var id: String?
    public var configuration: DSP.ProcessorConfiguration
    public var latency: Int
    public var tail: Int
    /// The node whose pre-fader signal keys this processor, delayed to line up with the processor's input.
    public var sidechain: SidechainInput?
    /// Parameters automated while rendering.
    public var automation: [ParameterAutomation] = []

    public init(processor: String, id: String?, configuration: DSP.ProcessorConfiguration, latency: Int, tail: Int,
                sidechain: SidechainInput?) {
        self.processor = processor
        self.id = id
        self.configuration = configuration
        self.latency = latency
        self.tail = tail
        self.sidechain = sidechain
    }
}

public struct SidechainInput: Sendable, Equatable, Codable {
    public var node: Int
    public var delay: Int

    public init(node: Int, delay: Int) {
        self.node = node
        self.delay = delay
    }
}

/// A signal written to a file: the main mix, or a stem group (its own copy of the buses and master).
public struct PlanOutput: Sendable, Equatable, Codable {
    /// The `{deliverable}` name: `mix`, or `stems` for stem groups.
    public var deliverable: String
    /// The stem group (`{stem}`), for stem outputs.
    public var stem: String?
    public var node: Int

    public init(deliverable: String, stem: String? = nil, node: Int) {
        self.deliverable = deliverable
        self.stem = stem
        self.node = node
    }
}

/// An envelope on the session timeline, with what the engine needs to evaluate it at a node: the node's signal
/// at engine frame f belongs to output frame f − `latency`, which the plan's playback maps onto the timeline.
public struct PlanEnvelope: Sendable, Equatable, Codable {
    public var envelope: Envelope
    public var latency: Int

    public init(envelope: Envelope, latency: Int) {
        self.envelope = envelope
        self.latency = latency
    }
}

/// One automated processor parameter.
public struct ParameterAutomation: Sendable, Equatable, Codable {
    public var parameter: ProcessorParameter
    public var envelope: PlanEnvelope

    public init(parameter: ProcessorParameter, envelope: PlanEnvelope) {
        self.parameter = parameter
        self.envelope = envelope
    }
}
