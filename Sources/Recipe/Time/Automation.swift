/// How a value moves from one automation point to the next.
public enum AutomationCurve: String, Sendable, Equatable, Codable, CaseIterable {
    /// Straight line in the parameter's unit (dB for levels, so an exponential in amplitude).
    case linear
    /// Constant ratio per unit of time (for frequencies: linear in octaves); linear when the values differ in sign
    /// or one is zero.
    case exp
    /// Raised cosine: starts and ends with zero slope.
    case s
}

/// One automation lane of a track, bus or the master, resolved to timeline samples.
public struct Automation: Sendable {
    public enum Target: Sendable, Equatable, CustomStringConvertible {
        /// The fader, in dB (replaces the static `gain` where the lane is defined).
        case gain
        /// Pan (tracks) or balance (buses), −1…+1.
        case pan
        /// A send's level in dB (`sends.plate`).
        case send(String)
        /// A processor parameter, by insert id (`vox_eq.gain`; `vox_eq.2.freq` for band 2 of an eq).
        case parameter(insert: String, key: String)

        public var description: String {
            switch self {
            case .gain: return "gain"
            case .pan: return "pan"
            case .send(let bus): return "sends.\(bus)"
            case .parameter(let insert, let key): return "\(insert).\(key)"
            }
        }
    }

    public var target: Located<Target>
    /// Points in time order.
    public var points: [AutomationPoint]
    /// Set for the per-section form: outside the listed sections the strip's static value applies.
    public var baseValue: Double?

    public init(target: Located<Target>, points: [AutomationPoint], baseValue: Double? = nil) {
        self.target = target
        self.points = points
        self.baseValue = baseValue
    }
}

/// One automation point. Without `ramp`, the value moves along `curve` from the previous point and arrives at
/// `frame`; with `ramp`, the previous value holds until `frame` and the move to `value` takes `ramp` frames from
/// there (0 = a step, smoothed over `Automation.stepFrames`).
public struct AutomationPoint: Sendable, Equatable {
    public var frame: Int64
    public var value: Double
    public var ramp: Int64?
    public var curve: AutomationCurve

    public init(frame: Int64, value: Double, ramp: Int64? = nil, curve: AutomationCurve = .linear) {
        self.frame = frame
        self.value = value
        self.ramp = ramp
        self.curve = curve
    }
}

extension Automation {
    /// A step (a ramp of 0, or a per-section value without `ramp`) is smoothed over this long so it never clicks.
    public static let stepSeconds = 0.005
}
