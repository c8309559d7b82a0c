import Foundation

/// A second-order Butterworth high-pass (RBJ cookbook, Q = 1/√2) for detector (side-chain) signals only: it
/// shapes what a dynamics processor listens to, never the audio it outputs. Transposed direct form II in Double.
///
/// A cutoff of 0 (or below) is "off": `process` returns its input unchanged.
public struct DetectorHighpass: Sendable, Equatable {
    public let isEnabled: Bool
    private let b0: Double, b1: Double, b2: Double, a1: Double, a2: Double
    private var s1 = 0.0, s2 = 0.0

    public init(frequency: Double, sampleRate: Double) {
        isEnabled = frequency > 0
        guard isEnabled else {
            (b0, b1, b2, a1, a2) = (1, 0, 0, 0, 0)
            return
        }
        // The same cookbook coefficients the EQ uses (Biquad.highpass), run here sample by sample in TDF-II.
        let c = Biquad.highpass(frequency: frequency, q: 0.5.squareRoot(), sampleRate: sampleRate)
        (b0, b1, b2, a1, a2) = (c.b0, c.b1, c.b2, c.a1, c.a2)
    }

    public mutating func process(_ x: Float) -> Float {
        guard isEnabled else { return x }
        let x = Double(x)
        let y = b0 * x + s1
        s1 = b1 * x - a1 * y + s2
        s2 = b2 * x - a2 * y
        return Float(y)
    }

    public mutating func reset() { s1 = 0; s2 = 0 }
}
