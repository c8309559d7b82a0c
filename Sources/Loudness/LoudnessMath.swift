import Foundation

/// Pure decibel and gain arithmetic for loudness work (measure → decide → apply). No state, no C library.
public enum LoudnessMath {
    /// The gain in dB that moves a programme measured at `measured` LUFS to `target` LUFS.
    /// Not finite when `measured` is −∞ (silence, or everything gated out): check `isFinite` before applying.
    public static func gain(from measured: Double, to target: Double) -> Double {
        target - measured
    }

    /// `gain(from:to:)`, lowered if needed so that a true peak of `truePeak` dBTP ends at or below `ceiling` dBTP
    /// after the gain (a static gain moves the true peak by the same number of dB).
    public static func gain(from measured: Double, to target: Double, truePeak: Double, ceiling: Double) -> Double {
        min(gain(from: measured, to: target), ceiling - truePeak)
    }

    /// 20·log10(|amplitude|); −∞ for 0.
    public static func decibels(amplitude: Double) -> Double {
        let magnitude = abs(amplitude)
        return magnitude > 0 ? 20 * log10(magnitude) : -.infinity
    }

    /// 10^(dB/20); 0 for −∞.
    public static func amplitude(decibels: Double) -> Double {
        pow(10, decibels / 20)
    }

    /// BS.1770 loudness of a weighted mean square: −0.691 + 10·log10(energy) LUFS; −∞ for 0.
    public static func loudness(energy: Double) -> Double {
        energy > 0 ? -0.691 + 10 * log10(energy) : -.infinity
    }

    /// Inverse of `loudness(energy:)`.
    public static func energy(loudness: Double) -> Double {
        pow(10, (loudness + 0.691) / 10)
    }
}
