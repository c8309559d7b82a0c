import Foundation

/// Level conversions. −∞ dB is exactly zero gain.
public enum Decibels {
    @inlinable
    public static func toLinear(_ decibels: Double) -> Double {
        decibels == -.infinity ? 0 : pow(10, decibels / 20)
    }

    @inlinable
    public static func fromLinear(_ gain: Double) -> Double {
        gain <= 0 ? -.infinity : 20 * log10(gain)
    }
}
