/// A point on the session timeline as written in a recipe; resolved to a sample index with `SessionClock`.
public enum TimePosition: Sendable, Equatable, CustomStringConvertible {
    case seconds(Double)
    case samples(Int64)
    /// Bar and beat, both 1-based; beats follow the session meter.
    case bar(Int, beat: Int)

    /// What a plain number means for a given key (seconds for `offset`, bars for a section's `at`).
    public enum BareUnit: Sendable { case seconds, bars }

    public var description: String {
        switch self {
        case .seconds(let s): return "\(s) s"
        case .samples(let n): return "\(n) smp"
        case .bar(let bar, let beat): return beat == 1 ? "bar \(bar)" : "bar \(bar).\(beat)"
        }
    }
}

/// Converts musical and clock positions into sample indices at the session rate.
///
/// Tempo is in quarter notes per minute (as in most DAWs), so a beat of an `x/8` meter lasts half a quarter note.
/// Every position is rounded to the nearest sample (halves away from zero) exactly once, from the exact value,
/// so positions never accumulate rounding error.
public struct SessionClock: Sendable, Equatable {
    public var sampleRate: Int
    public var quarterNotesPerMinute: Double
    public var meter: Meter

    public init(sampleRate: Int, quarterNotesPerMinute: Double, meter: Meter) {
        self.sampleRate = sampleRate
        self.quarterNotesPerMinute = quarterNotesPerMinute
        self.meter = meter
    }

    /// Seconds per beat of the meter.
    public var secondsPerBeat: Double { 60 / quarterNotesPerMinute * 4 / Double(meter.noteValue) }

    public func sampleIndex(of position: TimePosition) -> Int64 {
        switch position {
        case .samples(let n):
            return n
        case .seconds(let s):
            return Int64((s * Double(sampleRate)).rounded())
        case .bar(let bar, let beat):
            let beats = Double((bar - 1) * meter.beatsPerBar + (beat - 1))
            return Int64((beats * secondsPerBeat * Double(sampleRate)).rounded())
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

    public var description: String { "\(beatsPerBar)/\(noteValue)" }
}
