import Foundation

/// A validated recipe: everything a render needs besides the stem audio itself.
///
/// Tracks and buses keep their declaration order, which fixes the order of every sum downstream.
public struct Recipe: Sendable {
    /// The recipe file as named on the command line (used in diagnostics).
    public var file: String
    /// The folder relative paths in the recipe resolve against.
    public var directory: URL
    public var version: Int
    public var metadata: Metadata
    public var session: Session
    public var tracks: [Track]
    public var buses: [Bus]
    public var master: Master
    public var output: Located<String>
    /// `stems_out`: sub-mixes through the same processing, in declaration order.
    public var stemGroups: [StemGroup] = []
    /// `deliver:` entries in declaration order; empty means "the mix and stems, unmastered" (24-bit WAV).
    public var deliverables: [Deliverable] = []

    /// The default `output` template.
    public static let defaultOutput = "out/{title}/{deliverable}/{title} - {deliverable}.{ext}"
}

/// A stem group: the named tracks (a bus stands for every track that reaches it) rendered through the same
/// buses and master as the mix, with everything else silent.
public struct StemGroup: Sendable {
    public var name: Located<String>
    public var members: [Located<String>]
}

public struct Metadata: Sendable, Equatable {
    public var title: String
    public var artist: String?
    public var album: String?
    public var isrc: String?
    public var year: Int?
}

public struct Session: Sendable {
    public var sampleRate: Int
    public var tempo: Double
    public var meter: Meter
    /// Folder the stem paths resolve against.
    public var stemsDirectory: URL
    public var panLaw: PanLaw
    public var resampler: ResamplerChoice

    public var clock: SessionClock {
        SessionClock(sampleRate: sampleRate, quarterNotesPerMinute: tempo, meter: meter)
    }
}

/// How a pan position maps to left/right gains (see `docs/recipe-format.md`).
public enum PanLaw: String, Sendable, Equatable, CaseIterable {
    /// Constant power (sin/cos): centre −3.01 dB per side.
    case minus3dB = "-3 dB"
    /// Halfway between constant power and linear: centre −4.5 dB per side.
    case minus4_5dB = "-4.5 dB"
    /// Linear: centre −6.02 dB per side.
    case minus6dB = "-6 dB"
    /// Constant power scaled so the centre is at unity (+3 dB at the extremes).
    case zeroDB = "0 dB"
}

/// Which sample-rate converter turns stems at other rates into the session rate.
public enum ResamplerChoice: String, Sendable, Equatable, CaseIterable {
    /// libsoxr, very high quality (default).
    case soxr
    /// libsamplerate, SRC_SINC_BEST_QUALITY.
    case libsamplerate
}

/// Where a track's or bus's signal goes.
public enum Destination: Sendable, Equatable, CustomStringConvertible {
    case master
    case bus(String)

    public var description: String {
        switch self {
        case .master: return "master"
        case .bus(let name): return name
        }
    }
}

public struct Send: Sendable, Equatable {
    /// The bus the send feeds.
    public var target: Located<String>
    public var levelDB: Double
    /// Pre-fader: taken after the inserts, before the fader (with the strip's pan applied).
    public var preFader: Bool
}

public struct Track: Sendable {
    public var name: Located<String>
    /// Path to the stem file as written (relative to `session.stems`), with its location.
    public var stem: Located<String>
    /// The stem resolved to a file URL.
    public var stemURL: URL
    public var gainDB: Double
    public var pan: Double
    public var mute: Bool
    /// Where the stem's first sample sits on the timeline.
    public var offset: Located<TimePosition>
    public var destination: Located<Destination>
    public var sends: [Send]
    /// Processors in signal order, between the stem and the fader.
    public var inserts: [Insert] = []
}

public struct Bus: Sendable {
    public var name: Located<String>
    public var gainDB: Double
    public var pan: Double
    public var mute: Bool
    public var destination: Located<Destination>
    public var sends: [Send]
    /// Processors in signal order, between the input sum and the fader.
    public var inserts: [Insert] = []
}

public struct Master: Sendable {
    public var gainDB: Double
    /// Processors in signal order, before the master fader.
    public var inserts: [Insert] = []
}
