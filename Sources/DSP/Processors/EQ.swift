/// eq: any number of bands, each one or more RBJ Audio-EQ-Cookbook biquads; also serves the `highpass` and
/// `lowpass` shorthands (an EQ with one band).
///
/// Band parameters:
/// - `type`: peak (default), lowshelf, highshelf, highpass, lowpass, bandpass, notch.
/// - `freq` Hz (required; below Nyquist): centre, corner or cutoff frequency.
/// - `gain` dB (−30…+30; peak and shelves only, required there).
/// - `q` (0.1…40): peak, bandpass, notch default 1; a 12 dB/oct highpass/lowpass default 0.7071 (Butterworth);
///   a shelf may take `q` instead of `slope`.
/// - `slope`: shelves: the cookbook shelf slope S (0.1…1, default 1 = steepest without overshoot);
///   highpass/lowpass: 12, 24, 36 or 48 dB/oct (default 12), Butterworth of order 2, 4, 6, 8 as a cascade of
///   biquads with the Butterworth section Qs.
/// Latency 0. Tail: the cascade's ring time to −100 dB (from its pole radii).
public struct EQ: AudioProcessor {
    public var bands: [EQBand]
    private var cascade: BiquadCascade?
    private var sampleRate = 48000.0
    /// Index of each band's first section in the cascade.
    private var firstSection: [Int] = []

    public init(bands: [EQBand]) { self.bands = bands }

    /// Automation of a band's gain, frequency or Q (bands of one section: the recipe layer checks).
    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {
        let band: Int
        switch parameter {
        case .bandGain(let b): band = b; bands[b].gain = value
        case .bandFrequency(let b): band = b; bands[b].frequency = min(value, sampleRate * 0.499)
        case .bandQ(let b): band = b; bands[b].q = value
        default: return
        }
        guard band < firstSection.count, let cascade else { return }
        cascade.setSection(firstSection[band], bands[band].singleSection(sampleRate: sampleRate))
    }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        sampleRate = spec.sampleRate
        var index = 0
        firstSection = bands.map { band in
            defer { index += band.sections(sampleRate: spec.sampleRate).count }
            return index
        }
        let sections = bands.flatMap { $0.sections(sampleRate: spec.sampleRate) }
        cascade = BiquadCascade(sections: sections, channels: spec.channels)
        return ProcessorTraits(latency: 0, tail: Biquad.ringTime(of: sections))
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        cascade?.process(io, frames: frames)
    }

    public mutating func reset() { cascade?.reset() }
}

/// One EQ band as plain data (what the render plan stores).
public struct EQBand: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable {
        case peak, lowshelf, highshelf, highpass, lowpass, bandpass, notch

        /// Whether `gain` applies (and is required).
        public var hasGain: Bool { self == .peak || self == .lowshelf || self == .highshelf }
        public var isShelf: Bool { self == .lowshelf || self == .highshelf }
        public var isPass: Bool { self == .highpass || self == .lowpass }
    }

    public var kind: Kind
    /// Hz.
    public var frequency: Double
    /// dB; ignored by the pass, band-pass and notch types.
    public var gain: Double
    /// nil: the type's default (see the file header).
    public var q: Double?
    /// Shelves: the shelf slope S; highpass/lowpass: dB/oct (12, 24, 36, 48). nil: the default.
    public var slope: Double?

    public init(_ kind: Kind, frequency: Double, gain: Double = 0, q: Double? = nil, slope: Double? = nil) {
        self.kind = kind
        self.frequency = frequency
        self.gain = gain
        self.q = q
        self.slope = slope
    }

    /// The Butterworth Q of a 2nd-order section, the default for a 12 dB/oct pass filter.
    public static let butterworthQ = 0.5.squareRoot()

    /// Whether the band is one biquad (every type but 24–48 dB/oct passes): only those can be automated.
    public var isSingleSection: Bool { !kind.isPass || (slope ?? 12) <= 12 }

    /// The band's one biquad, without building an array (automation updates; `isSingleSection` bands only).
    public func singleSection(sampleRate fs: Double) -> Biquad {
        let f = frequency
        switch kind {
        case .peak: return .peak(frequency: f, gain: gain, q: q ?? 1, sampleRate: fs)
        case .bandpass: return .bandpass(frequency: f, q: q ?? 1, sampleRate: fs)
        case .notch: return .notch(frequency: f, q: q ?? 1, sampleRate: fs)
        case .lowshelf, .highshelf:
            let shape: Biquad.ShelfShape = q.map { .q($0) } ?? .slope(slope ?? 1)
            return kind == .lowshelf ? .lowShelf(frequency: f, gain: gain, shape: shape, sampleRate: fs)
                : .highShelf(frequency: f, gain: gain, shape: shape, sampleRate: fs)
        case .highpass: return .highpass(frequency: f, q: q ?? Self.butterworthQ, sampleRate: fs)
        case .lowpass: return .lowpass(frequency: f, q: q ?? Self.butterworthQ, sampleRate: fs)
        }
    }

    /// The band's biquad sections at this rate. Pure, so it can be re-evaluated when parameters move.
    public func sections(sampleRate fs: Double) -> [Biquad] {
        let f = frequency
        switch kind {
        case .peak: return [.peak(frequency: f, gain: gain, q: q ?? 1, sampleRate: fs)]
        case .bandpass: return [.bandpass(frequency: f, q: q ?? 1, sampleRate: fs)]
        case .notch: return [.notch(frequency: f, q: q ?? 1, sampleRate: fs)]
        case .lowshelf, .highshelf:
            let shape: Biquad.ShelfShape = q.map { .q($0) } ?? .slope(slope ?? 1)
            return kind == .lowshelf ? [.lowShelf(frequency: f, gain: gain, shape: shape, sampleRate: fs)]
                : [.highShelf(frequency: f, gain: gain, shape: shape, sampleRate: fs)]
        case .highpass, .lowpass:
            let order = max(2, Int(((slope ?? 12) / 6).rounded()) / 2 * 2)
            let qs = order == 2 ? [q ?? Self.butterworthQ] : Biquad.butterworthQs(order: order)
            return qs.map { kind == .highpass ? .highpass(frequency: f, q: $0, sampleRate: fs)
                : .lowpass(frequency: f, q: $0, sampleRate: fs) }
        }
    }
}
