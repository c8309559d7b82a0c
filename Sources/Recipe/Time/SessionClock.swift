import Foundation

/// A point on the session timeline as written in a recipe; resolved to a sample index with `SessionClock`
/// (and, for section names, the recipe's sections).
public enum TimePosition: Sendable, Equatable, CustomStringConvertible {
    case seconds(Double)
    case samples(Int64)
    /// Bar and beat, both 1-based; beats follow the meter of that bar.
    case bar(Int, beat: Int)
    /// A section's start (`verse`) or end (`verse.end`).
    case section(String, end: Bool)

    /// What a plain number means for a given key (seconds for `offset`, bars for a section's `at`).
    public enum BareUnit: Sendable { case seconds, bars }

    public var description: String {
        switch self {
        case .seconds(let s): return "\(s) s"
        case .samples(let n): return "\(n) smp"
        case .bar(let bar, let beat): return beat == 1 ? "bar \(bar)" : "bar \(bar).\(beat)"
        case .section(let name, let end): return end ? "\(name).end" : name
        }
    }
}

/// A time signature such as 4/4 or 6/8.
public struct Meter: Sendable, Equatable, CustomStringConvertible {
    public var beatsPerBar: Int
    public var noteValue: Int

    public init(beatsPerBar: Int, noteValue: Int) {
        self.beatsPerBar = beatsPerBar
        self.noteValue = noteValue
    }

    /// Quarter notes in one beat (a beat of 6/8 is half a quarter note).
    public var quartersPerBeat: Double { 4 / Double(noteValue) }
    public var quartersPerBar: Double { Double(beatsPerBar) * quartersPerBeat }

    public var description: String { "\(beatsPerBar)/\(noteValue)" }
}

/// One entry of a tempo map: from `bar`/`beat` on, `bpm` quarter notes per minute.
public struct TempoPoint: Sendable, Equatable {
    public var bar: Int
    public var beat: Int
    public var bpm: Double
    /// The tempo moves linearly (per quarter note) from the previous point's tempo to this one, arriving here.
    public var ramp: Bool

    public init(bar: Int, beat: Int = 1, bpm: Double, ramp: Bool = false) {
        self.bar = bar
        self.beat = beat
        self.bpm = bpm
        self.ramp = ramp
    }
}

/// A meter from `bar` on (meter changes fall on bar lines).
public struct MeterChange: Sendable, Equatable {
    public var bar: Int
    public var meter: Meter

    public init(bar: Int, meter: Meter) {
        self.bar = bar
        self.meter = meter
    }
}

/// Converts musical and clock positions into sample indices at the session rate, following a tempo map and meter
/// changes.
///
/// Musical positions are first counted in quarter notes from bar 1 (through the meter map), then turned into
/// seconds through the tempo map (constant segments: 60/bpm per quarter; linear ramps: the closed form
/// t = 60/k · ln(bpm(q)/bpm₀), k = d bpm/dq), then into samples. Each position is rounded to the nearest sample
/// (halves away from zero) exactly once, from the exact value, so positions never accumulate rounding error.
public struct SessionClock: Sendable, Equatable {
    public var sampleRate: Int
    /// Meter segments in bar order; the first is at bar 1.
    public private(set) var meters: [MeterChange]
    /// Tempo points in time order; the first is at bar 1, beat 1.
    public private(set) var tempo: [TempoPoint]
    /// Per meter segment: quarter notes before its first bar.
    private var meterQuarters: [Double] = []
    /// Per tempo point: its position in quarter notes and the seconds before it.
    private var tempoQuarters: [Double] = []
    private var tempoSeconds: [Double] = []

    /// A constant tempo and meter.
    public init(sampleRate: Int, quarterNotesPerMinute: Double, meter: Meter) {
        self.init(sampleRate: sampleRate, tempo: [TempoPoint(bar: 1, bpm: quarterNotesPerMinute)],
                  meters: [MeterChange(bar: 1, meter: meter)])
    }

    /// - Precondition: `meters` and `tempo` are non-empty, start at bar 1 and are in increasing order (the recipe
    ///   parser checks this with locations).
    public init(sampleRate: Int, tempo: [TempoPoint], meters: [MeterChange]) {
        precondition(!tempo.isEmpty && !meters.isEmpty)
        self.sampleRate = sampleRate
        self.meters = meters
        self.tempo = tempo
        var quarters = 0.0
        for (index, change) in meters.enumerated() {
            if index > 0 {
                let previous = meters[index - 1]
                quarters += Double(change.bar - previous.bar) * previous.meter.quartersPerBar
            }
            meterQuarters.append(quarters)
        }
        var seconds = 0.0
        for (index, point) in tempo.enumerated() {
            let q = self.quarters(bar: point.bar, beat: Double(point.beat))
            if index > 0 { seconds += Self.span(from: tempoQuarters[index - 1], to: q, startBPM: tempo[index - 1].bpm,
                                                 endBPM: point.ramp ? point.bpm : tempo[index - 1].bpm,
                                                 segmentEnd: q) }
            tempoQuarters.append(q)
            tempoSeconds.append(seconds)
        }
    }

    /// The tempo at the start of the song (used by tempo-synced note values such as a `1/8.` delay).
    public var quarterNotesPerMinute: Double { tempo[0].bpm }
    /// The meter of bar 1.
    public var meter: Meter { meters[0].meter }
    /// Seconds per beat of bar 1's meter at the starting tempo.
    public var secondsPerBeat: Double { 60 / quarterNotesPerMinute * meter.quartersPerBeat }

    public func meter(atBar bar: Int) -> Meter { meters[meterSegment(bar: bar)].meter }

    /// Quarter notes from the start of bar 1 to `bar` and `beat` (1-based; the beat may be fractional).
    public func quarters(bar: Int, beat: Double) -> Double {
        let index = meterSegment(bar: bar)
        let segment = meters[index]
        return meterQuarters[index] + Double(bar - segment.bar) * segment.meter.quartersPerBar
            + (beat - 1) * segment.meter.quartersPerBeat
    }

    /// Seconds from the start of the timeline to a position counted in quarter notes (≥ 0).
    public func seconds(atQuarter q: Double) -> Double {
        let index = tempoSegment(quarter: q)
        let start = tempoQuarters[index], bpm = tempo[index].bpm
        if index + 1 < tempo.count, tempo[index + 1].ramp {
            return tempoSeconds[index] + Self.span(from: start, to: q, startBPM: bpm, endBPM: tempo[index + 1].bpm,
                                                   segmentEnd: tempoQuarters[index + 1])
        }
        return tempoSeconds[index] + (q - start) * 60 / bpm
    }

    /// The inverse of `seconds(atQuarter:)`.
    public func quarter(atSeconds s: Double) -> Double {
        var index = 0
        while index + 1 < tempo.count, tempoSeconds[index + 1] <= s { index += 1 }
        let start = tempoQuarters[index], bpm = tempo[index].bpm, dt = s - tempoSeconds[index]
        if index + 1 < tempo.count, tempo[index + 1].ramp {
            let k = (tempo[index + 1].bpm - bpm) / (tempoQuarters[index + 1] - start)
            if k != 0 { return start + bpm / k * (exp(k * dt / 60) - 1) }
        }
        return start + dt * bpm / 60
    }

    /// Bar and (fractional, 1-based) beat at a position counted in quarter notes.
    public func barBeat(atQuarter q: Double) -> (bar: Int, beat: Double) {
        var index = 0
        while index + 1 < meters.count, meterQuarters[index + 1] <= q { index += 1 }
        let segment = meters[index]
        let into = q - meterQuarters[index]
        var bars = (into / segment.meter.quartersPerBar).rounded(.down)
        var beat = (into - bars * segment.meter.quartersPerBar) / segment.meter.quartersPerBeat + 1
        // Positions a hair below a bar line (rounding) belong to that bar line.
        if beat > Double(segment.meter.beatsPerBar) + 1 - 1e-9 { bars += 1; beat = 1 }
        return (segment.bar + Int(bars), beat)
    }

    /// Tempo (quarter notes per minute) at a position counted in quarter notes.
    public func bpm(atQuarter q: Double) -> Double {
        let index = tempoSegment(quarter: q)
        if index + 1 < tempo.count, tempo[index + 1].ramp {
            let k = (tempo[index + 1].bpm - tempo[index].bpm) / (tempoQuarters[index + 1] - tempoQuarters[index])
            return tempo[index].bpm + k * (q - tempoQuarters[index])
        }
        return tempo[index].bpm
    }

    /// A sample index rounded once from the exact value (halves away from zero).
    public func sampleIndex(seconds: Double) -> Int64 { Int64((seconds * Double(sampleRate)).rounded()) }

    /// The sample index of a bar/beat (1-based).
    public func sampleIndex(bar: Int, beat: Double) -> Int64 {
        sampleIndex(seconds: seconds(atQuarter: quarters(bar: bar, beat: beat)))
    }

    /// The sample index of a position that needs no sections (nil for a section name).
    public func sampleIndex(of position: TimePosition) -> Int64? {
        switch position {
        case .samples(let n): return n
        case .seconds(let s): return sampleIndex(seconds: s)
        case .bar(let bar, let beat): return sampleIndex(bar: bar, beat: Double(beat))
        case .section: return nil
        }
    }

    /// Bar and beat at a sample index (the inverse, for printing).
    public func barBeat(atSample sample: Int64) -> (bar: Int, beat: Double) {
        barBeat(atQuarter: quarter(atSeconds: Double(sample) / Double(sampleRate)))
    }

    /// Seconds over quarters [from, to) of a segment whose tempo goes linearly from startBPM (at `from`, the segment
    /// start) to endBPM (at `segmentEnd`).
    private static func span(from: Double, to: Double, startBPM: Double, endBPM: Double, segmentEnd: Double) -> Double {
        let length = segmentEnd - from
        guard endBPM != startBPM, length > 0 else { return (to - from) * 60 / startBPM }
        let k = (endBPM - startBPM) / length
        return 60 / k * log((startBPM + k * (to - from)) / startBPM)
    }

    private func meterSegment(bar: Int) -> Int {
        var index = 0
        while index + 1 < meters.count, meters[index + 1].bar <= bar { index += 1 }
        return index
    }

    private func tempoSegment(quarter q: Double) -> Int {
        var index = 0
        while index + 1 < tempo.count, tempoQuarters[index + 1] <= q { index += 1 }
        return index
    }
}
