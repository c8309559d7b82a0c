import Foundation

/// Pan and balance gains for the supported pan laws.
///
/// θ = (pan + 1)·π/4 runs from 0 (hard left) to π/2 (hard right).
/// - `constantPower` (−3 dB): L = cos θ, R = sin θ; L² + R² = 1, centre −3.01 dB per side.
/// - `compromise` (−4.5 dB): the geometric mean of constant power and linear; centre −4.52 dB.
/// - `linear` (−6 dB): L = (1 − pan)/2, R = (1 + pan)/2; centre −6.02 dB.
/// - `constantPowerUnityCentre` (0 dB): constant power × √2; centre 0 dB, hard sides +3.01 dB.
public enum PanCurve: Sendable, Equatable, CaseIterable, Codable {
    case constantPower, compromise, linear, constantPowerUnityCentre

    /// Left and right gains for a pan position in −1…+1 (values outside are clamped).
    public func gains(pan: Double) -> (left: Double, right: Double) {
        let p = min(1, max(-1, pan))
        // sin θ is computed as cos of the mirrored angle so that the law is exactly mirror-symmetric (centre gives
        // identical sides); cos(π/2) is 6e-17, not 0, so the ends are snapped to exact silence.
        let cosine = p == 1 ? 0 : cos((p + 1) * Double.pi / 4)
        let sine = p == -1 ? 0 : cos((1 - p) * Double.pi / 4)
        switch self {
        case .constantPower:
            return (cosine, sine)
        case .compromise:
            return ((cosine * (1 - p) / 2).squareRoot(), (sine * (1 + p) / 2).squareRoot())
        case .linear:
            return ((1 - p) / 2, (1 + p) / 2)
        case .constantPowerUnityCentre:
            return (cosine * 2.0.squareRoot(), sine * 2.0.squareRoot())
        }
    }

    /// Balance for a stereo bus: unity at centre, and turning towards one side only attenuates the other,
    /// following this law's curve normalised to its centre value (never a boost).
    public func balance(pan: Double) -> (left: Double, right: Double) {
        let centre = gains(pan: 0)
        let g = gains(pan: pan)
        return (pan <= 0 ? 1 : g.left / centre.left, pan >= 0 ? 1 : g.right / centre.right)
    }
}
