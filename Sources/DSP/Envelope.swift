import Foundation

/// A parameter's course over time as plain data: a starting value and ramps, evaluated per sample.
///
/// Between ramps the value holds at the previous ramp's end. A ramp over `[start, end)` moves from `from` to `to`
/// along its curve; sample `t` takes u = (t − start)/(end − start), so the ramp reaches `to` at `end`.
public struct Envelope: Sendable, Equatable, Codable {
    public enum Curve: String, Sendable, Equatable, Codable {
        case linear, exp, s
    }

    public struct Ramp: Sendable, Equatable, Codable {
        public var start: Int64
        public var end: Int64
        public var from: Double
        public var to: Double
        public var curve: Curve

        public init(start: Int64, end: Int64, from: Double, to: Double, curve: Curve) {
            self.start = start
            self.end = end
            self.from = from
            self.to = to
            self.curve = curve
        }
    }

    public var initial: Double
    /// In time order, not overlapping.
    public var ramps: [Ramp]

    public init(initial: Double, ramps: [Ramp] = []) {
        self.initial = initial
        self.ramps = ramps
    }

    /// The value at sample `t`.
    public func value(at t: Int64) -> Double {
        var hint = 0
        return value(at: t, hint: &hint)
    }

    /// The value at `t`; `hint` caches the ramp index between calls with increasing `t` (start it at 0).
    @inlinable
    public func value(at t: Int64, hint: inout Int) -> Double {
        if ramps.isEmpty { return initial }
        if hint >= ramps.count || (hint > 0 && ramps[hint - 1].end > t) { hint = 0 }
        while hint < ramps.count, ramps[hint].end <= t { hint += 1 }
        // Now every ramp before `hint` has ended by t.
        if hint < ramps.count, ramps[hint].start <= t {
            return Self.interpolate(ramps[hint], at: t)
        }
        return hint == 0 ? initial : ramps[hint - 1].to
    }

    @inlinable
    public static func interpolate(_ ramp: Ramp, at t: Int64) -> Double {
        let u = Double(t - ramp.start) / Double(ramp.end - ramp.start)
        switch ramp.curve {
        case .linear:
            return ramp.from + (ramp.to - ramp.from) * u
        case .s:
            return ramp.from + (ramp.to - ramp.from) * (0.5 - 0.5 * cos(Double.pi * u))
        case .exp:
            guard ramp.from * ramp.to > 0, ramp.from.isFinite, ramp.to.isFinite else {
                return ramp.from + (ramp.to - ramp.from) * u
            }
            return ramp.from * pow(ramp.to / ramp.from, u)
        }
    }

    /// Whether the value is the same over `[start, end)`: no ramp (not even an instant step) touches it.
    public func isConstant(from start: Int64, to end: Int64) -> Bool {
        !ramps.contains { $0.start < end && $0.end > start }
    }
}
