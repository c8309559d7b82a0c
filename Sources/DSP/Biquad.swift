import Foundation

/// One second-order IIR section, normalised so that a0 = 1:
/// H(z) = (b0 + b1·z⁻¹ + b2·z⁻²) / (1 + a1·z⁻¹ + a2·z⁻²).
///
/// The designs are Robert Bristow-Johnson's Audio-EQ-Cookbook formulas, evaluated in Double. Each design is a
/// pure function of its parameters and the sample rate, so it can later be re-run per sample (or per small fixed
/// interval) when parameters are automated.
public struct Biquad: Sendable, Equatable {
    public var b0: Double, b1: Double, b2: Double, a1: Double, a2: Double

    public init(b0: Double, b1: Double, b2: Double, a1: Double, a2: Double) {
        self.b0 = b0; self.b1 = b1; self.b2 = b2; self.a1 = a1; self.a2 = a2
    }

    /// Divides through by a0.
    init(_ b0: Double, _ b1: Double, _ b2: Double, _ a0: Double, _ a1: Double, _ a2: Double) {
        self.init(b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0)
    }

    /// The identity section (passes the signal unchanged).
    public static let identity = Biquad(b0: 1, b1: 0, b2: 0, a1: 0, a2: 0)

    /// ω0 = 2π·f0/fs, with its cosine and sine.
    private struct Angle {
        let cos: Double, sin: Double
        init(_ frequency: Double, _ sampleRate: Double) {
            let w0 = 2 * Double.pi * frequency / sampleRate
            cos = Foundation.cos(w0)
            sin = Foundation.sin(w0)
        }
    }

    public static func lowpass(frequency: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), alpha = w.sin / (2 * q)
        return Biquad((1 - w.cos) / 2, 1 - w.cos, (1 - w.cos) / 2, 1 + alpha, -2 * w.cos, 1 - alpha)
    }

    public static func highpass(frequency: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), alpha = w.sin / (2 * q)
        return Biquad((1 + w.cos) / 2, -(1 + w.cos), (1 + w.cos) / 2, 1 + alpha, -2 * w.cos, 1 - alpha)
    }

    /// Band-pass with 0 dB gain at the centre frequency.
    public static func bandpass(frequency: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), alpha = w.sin / (2 * q)
        return Biquad(alpha, 0, -alpha, 1 + alpha, -2 * w.cos, 1 - alpha)
    }

    public static func notch(frequency: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), alpha = w.sin / (2 * q)
        return Biquad(1, -2 * w.cos, 1, 1 + alpha, -2 * w.cos, 1 - alpha)
    }

    public static func allpass(frequency: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), alpha = w.sin / (2 * q)
        return Biquad(1 - alpha, -2 * w.cos, 1 + alpha, 1 + alpha, -2 * w.cos, 1 - alpha)
    }

    public static func peak(frequency: Double, gain: Double, q: Double, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), alpha = w.sin / (2 * q), a = pow(10, gain / 40)
        return Biquad(1 + alpha * a, -2 * w.cos, 1 - alpha * a, 1 + alpha / a, -2 * w.cos, 1 - alpha / a)
    }

    /// How a shelf's transition is given: a Q, or the cookbook's shelf slope S (1 = steepest without overshoot).
    public enum ShelfShape: Sendable, Equatable {
        case q(Double)
        case slope(Double)

        func alpha(sin: Double, a: Double) -> Double {
            switch self {
            case .q(let q): return sin / (2 * q)
            case .slope(let s): return sin / 2 * ((a + 1 / a) * (1 / s - 1) + 2).squareRoot()
            }
        }
    }

    public static func lowShelf(frequency: Double, gain: Double, shape: ShelfShape, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), a = pow(10, gain / 40)
        let k = 2 * a.squareRoot() * shape.alpha(sin: w.sin, a: a)
        return Biquad(a * ((a + 1) - (a - 1) * w.cos + k), 2 * a * ((a - 1) - (a + 1) * w.cos),
                      a * ((a + 1) - (a - 1) * w.cos - k),
                      (a + 1) + (a - 1) * w.cos + k, -2 * ((a - 1) + (a + 1) * w.cos), (a + 1) + (a - 1) * w.cos - k)
    }

    public static func highShelf(frequency: Double, gain: Double, shape: ShelfShape, sampleRate: Double) -> Biquad {
        let w = Angle(frequency, sampleRate), a = pow(10, gain / 40)
        let k = 2 * a.squareRoot() * shape.alpha(sin: w.sin, a: a)
        return Biquad(a * ((a + 1) + (a - 1) * w.cos + k), -2 * a * ((a - 1) + (a + 1) * w.cos),
                      a * ((a + 1) + (a - 1) * w.cos - k),
                      (a + 1) - (a - 1) * w.cos + k, 2 * ((a - 1) - (a + 1) * w.cos), (a + 1) - (a - 1) * w.cos - k)
    }

    /// The section Qs of an even-order Butterworth filter: Q_k = 1 / (2·cos((2k − 1)·π / 2N)), k = 1…N/2.
    public static func butterworthQs(order: Int) -> [Double] {
        precondition(order >= 2 && order % 2 == 0, "only even Butterworth orders are cascades of biquads")
        return (1...(order / 2)).map { k in 1 / (2 * cos(Double(2 * k - 1) * .pi / Double(2 * order))) }
    }

    /// The largest pole radius (how slowly the section's impulse response decays).
    public var poleRadius: Double {
        let discriminant = a1 * a1 - 4 * a2
        if discriminant < 0 { return a2.squareRoot() }
        let root = discriminant.squareRoot()
        return max(abs(-a1 + root), abs(-a1 - root)) / 2
    }

    /// Samples for the impulse response of a cascade to fall by `decibels` (an upper-bound estimate: the sum
    /// of each section's pole decay time, which covers the build-up of a cascade's response).
    public static func ringTime(of sections: [Biquad], decibels: Double = 100) -> Int {
        let target = log(pow(10, -decibels / 20))
        var total = 0.0
        for section in sections {
            let radius = section.poleRadius
            guard radius > 0 else { total += 2; continue }
            guard radius < 1 else { return Int.max / 4 }
            total += target / log(radius) + 2
        }
        return Int(min(total, 1e9).rounded(.up))
    }
}
