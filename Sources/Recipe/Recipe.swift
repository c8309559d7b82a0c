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
    /// Named regions of the timeline, in time order, resolved to samples.
    public var sections: [Section] = []
    /// Sections written but not resolvable (their errors are reported; references to them stay quiet).
    public var invalidSections: Set<String> = []
    /// `arrangements:` as written (the built-in `full` is not listed).
    public var arrangements: [Arrangement] = []
    /// `mixes:` as written (the built-in `main` is not listed).
    public var mixes: [MixVariant] = []

    public func section(named name: String) -> Section? { sections.first { $0.name.value == name } }
    public func arrangement(named name: String) -> Arrangement? { arrangements.first { $0.name.value == name } }
    public func mix(named name: String) -> MixVariant? { mixes.first { $0.name.value == name } }

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
    /// Tempo map and meter changes at the session rate.
    public var clock: SessionClock
    /// Folder the stem paths resolve against.
    public var stemsDirectory: URL
    public var panLaw: PanLaw
    public var resampler: ResamplerChoice
    /// What happens after the last section (or the end of the stems): `session.tail`, default auto up to 10 s.
    public var tail: TailSetting = .auto(maxSeconds: 10)

    /// The tempo at bar 1.
    public var tempo: Double { clock.quarterNotesPerMinute }
    /// The meter of bar 1.
    public var meter: Meter { clock.meter }
}

/// How long a render rings on after its last section (or the end of the stems, for the full timeline).
public enum TailSetting: Sendable, Equatable, CustomStringConvertible {
    /// Until every output falls below −90 dBFS, at most this long.
    case auto(maxSeconds: Double)
    /// Exactly this long (the render is cut there).
    case fixed(seconds: Double)

    /// The level below which an automatic tail ends.
    public static let thresholdDBFS = -90.0

    public var description: String {
        switch self {
        case .auto(let max): return "auto (below -90 dBFS, at most \(max) s)"
        case .fixed(let seconds): return "\(seconds) s"
        }
    }
}

/// A named region of the timeline: `[start, end)` in samples at the session rate.
public struct Section: Sendable, Equatable {
    public var name: Located<String>
    public var start: Int64
    public var end: Int64

    public var length: Int64 { end - start }
}

/// `arrangements.NAME`: sections played in order, with an equal-power crossfade at every edit.
public struct Arrangement: Sendable {
    public struct Entry: Sendable {
        public var section: Located<String>
        /// Crossfade into this entry (overrides the arrangement's), seconds.
        public var crossfade: Double?
    }
    public var name: Located<String>
    public var play: [Entry]
    /// Default crossfade at each edit, seconds.
    public var crossfade: Double
    /// Overrides `session.tail`.
    public var tail: TailSetting?

    /// The default crossfade when an arrangement names none.
    public static let defaultCrossfade = 0.030
}

/// `mixes.NAME`: a variant of the main mix.
public struct MixVariant: Sendable {
    public var name: Located<String>
    /// Tracks or buses muted in this mix.
    public var mute: [Located<String>]
    /// Tracks or buses soloed: every track that neither is soloed nor reaches a soloed bus is muted.
    public var solo: [Located<String>]
    /// Fader offsets in dB, added to the strip's gain (and its automation).
    public var gain: [(name: Located<String>, decibels: Double)]
    /// Inserts bypassed: `strip.id`, `strip.processor`, or an insert id used once in the recipe.
    public var bypass: [Located<String>]
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
    /// Sections in which the track is muted (`mute: [intro]`).
    public var muteSections: [Located<String>] = []
    /// Where the stem's first sample sits on the timeline, as written.
    public var offset: Located<TimePosition>
    /// The offset in samples at the session rate.
    public var offsetFrames: Int64 = 0
    public var destination: Located<Destination>
    public var sends: [Send]
    /// Processors in signal order, between the stem and the fader.
    public var inserts: [Insert] = []
    public var automation: [Automation] = []
    /// Fades at the stem's start and end on the timeline.
    public var fadeIn: Fade?
    public var fadeOut: Fade?
}

/// A fade of a track's stem, at its first or last sample on the timeline.
public struct Fade: Sendable, Equatable {
    public var seconds: Double
    public var curve: AutomationCurve
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
    public var muteSections: [Located<String>] = []
    public var automation: [Automation] = []
}

public struct Master: Sendable {
    public var gainDB: Double
    /// Processors in signal order, before the master fader.
    public var inserts: [Insert] = []
    public var automation: [Automation] = []
}
