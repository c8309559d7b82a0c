/// One entry of `deliver:`: a file (or set of files) to produce, with its mastering targets and format.
/// Presets are already applied: every field holds the effective value.
public struct Deliverable: Sendable {
    public enum Format: String, Sendable, CaseIterable { case wav, aiff, flac, mp3, opus }
    public enum Dither: String, Sendable, CaseIterable { case tpdf, shaped, none }
    public enum OnMiss: String, Sendable, CaseIterable { case fail, warn }

    public var name: Located<String>
    public var preset: String?
    /// Integrated loudness target in LUFS; nil = no loudness targeting.
    public var loudness: Double?
    /// True-peak ceiling in dBTP; nil = none.
    public var truePeak: Double?
    /// Whether a brickwall (true-peak) limiter may be used to meet the ceiling; otherwise only gain is lowered.
    public var limit: Bool
    public var format: Format
    /// nil = the session rate.
    public var sampleRate: Int?
    /// 16, 24 or 32 (float); lossy formats ignore it.
    public var bitDepth: Int
    public var dither: Dither
    /// Lossy bitrate in kbit/s (constant); 0 = variable bitrate at the highest quality (`bitrate: vbr`).
    public var bitrate: Int
    public var monoBelow: Double?
    /// High-pass at this frequency (vinyl: 20 Hz), before loudness targeting.
    public var highpass: Double?
    /// Seconds of fade-out at the end.
    public var fadeOut: Double?
    /// Accepted deviation from the loudness target when verifying the written file (LU).
    public var loudnessTolerance: Double
    public var onMiss: OnMiss
    /// Write a CUE sheet beside the file (CD).
    public var cueSheet: Bool
    /// Never resample above the session rate (Apple Digital Masters).
    public var neverUpsample: Bool
    /// The `stems` preset: every `stems_out` group, unmastered.
    public var stems: Bool
    /// `arrangement:` (nil = `full`) and `mix:` (nil = `main`) as written.
    public var arrangement: Located<String>?
    public var mix: Located<String>?
    /// Overrides the arrangement's and the session's tail.
    public var tail: TailSetting?
    /// Vinyl sides: one file per side, each playing its sections in order.
    public var sides: [(name: Located<String>, sections: [Located<String>])] = []
    /// Extra metadata tags, in the order written.
    public var tags: [(key: String, value: String)]
    /// Where each key was written, for later diagnostics.
    public var locations: [String: SourceLocation]

    public var isLossy: Bool { format == .mp3 || format == .opus }
}

/// Preset defaults (see docs/delivery.md); explicit keys override them.
public enum DeliveryPresets {
    public static let names = ["streaming", "apple_music", "cd", "vinyl", "broadcast", "mp3", "stems"]

    /// A deliverable with the preset's defaults (or plain defaults when `preset` is nil).
    static func base(_ preset: String?, name: Located<String>) -> Deliverable {
        var d = Deliverable(name: name, preset: preset, loudness: nil, truePeak: -1, limit: true, format: .wav,
                            sampleRate: nil, bitDepth: 24, dither: .tpdf, bitrate: 320, monoBelow: nil, highpass: nil,
                            fadeOut: nil, loudnessTolerance: 0.5, onMiss: .fail, cueSheet: false, neverUpsample: false,
                            stems: false, tags: [], locations: [:])
        switch preset {
        case "streaming":
            d.loudness = -14; d.truePeak = -1; d.format = .flac; d.bitDepth = 24
        case "apple_music":
            d.loudness = -16; d.truePeak = -1; d.format = .wav; d.bitDepth = 24; d.neverUpsample = true
        case "cd":
            d.truePeak = -0.3; d.format = .wav; d.sampleRate = 44100; d.bitDepth = 16; d.dither = .tpdf
            d.cueSheet = true
        case "vinyl":
            d.truePeak = -1; d.limit = false; d.format = .wav; d.bitDepth = 24; d.monoBelow = 150; d.highpass = 20
        case "broadcast":
            d.loudness = -23; d.truePeak = -1; d.format = .wav; d.sampleRate = 48000; d.bitDepth = 24
        case "mp3":
            d.loudness = -14; d.truePeak = -1; d.format = .mp3; d.bitrate = 320
        case "stems":
            d.stems = true; d.truePeak = nil; d.limit = false; d.format = .wav; d.bitDepth = 24; d.dither = .none
        default:
            break
        }
        return d
    }
}
