import Convolution
import Foundation

/// Mono lows for a deliverable (vinyl): the side channel S = (L − R)/2 is high-passed by a long linear-phase FIR,
/// the mid M = (L + R)/2 is left as it is, and L = M + S′, R = M − S′.
///
/// Why not the recipe's `mono_below` processor: that one is an LR4 crossover, right for mixing (zero latency,
/// allpass-coherent), but its side attenuation is only 24.6 dB an octave below the frequency and a few dB just
/// under it. Cutting plants want the lows truly mono (lateral-only groove below ~150 Hz), so the deliverable chain
/// removes the side's lows with a ≥ 70 dB stopband instead. Offline, on the buffered premaster, the FIR's latency
/// costs nothing.
///
/// Design: a Kaiser-windowed sinc low-pass h (designed for 80 dB, β = 7.857) with its stopband from `passbandStart`
/// = frequency·2^(1/3) (a third of an octave up) and its passband up to `frequency`; the side high-pass is
/// δ[n − half] − h[n], so below `frequency` the side is attenuated by ≥ 70 dB (80 dB by design) and above a third of
/// an octave up it passes within 0.001 dB. The low-pass is normalised to unity at DC (the high-pass has a true zero
/// there). Length 2·half + 1 with half ≈ 9.65·fs/frequency (3089 at 150 Hz, 48 kHz: 64 ms).
///
/// Phase: the FIR is symmetric, so S′ is S high-passed and delayed by exactly `half` samples; the mid is delayed by
/// the same `half` (phase-coherent), and both are then advanced by `half` to keep the timeline: the result has zero
/// phase shift, the mid comes out unchanged, and a mono signal (L = R) passes untouched. The filtering runs by FFT
/// (`FIRFilter`), O(N log N). Only the band near `frequency` changes: side pre-ringing is at the 0.01 % level.
public struct LinearPhaseMonoBelow: Sendable {
    public let frequency: Double
    public let sampleRate: Int
    /// Designed stopband attenuation of the side high-pass, dB.
    public static let designAttenuation = 80.0
    /// The side passes unchanged from here on (Hz): a third of an octave above `frequency`.
    public var passbandStart: Double { frequency * pow(2, 1.0 / 3) }
    /// The side low-pass taps h (odd length, symmetric, Σh = 1); the side high-pass is δ[n − half] − h[n].
    public let lowpass: [Double]
    /// The filter's delay, compensated by `apply`.
    public var half: Int { lowpass.count / 2 }

    public init(frequency: Double, sampleRate: Int) {
        self.frequency = frequency
        self.sampleRate = sampleRate
        let rate = Double(sampleRate)
        let attenuation = Self.designAttenuation
        let beta = 0.1102 * (attenuation - 8.7)
        let stop = min(frequency * pow(2, 1.0 / 3), rate / 2 * 0.999)
        let width = 2 * Double.pi * (stop - frequency) / rate
        let order = Int(((attenuation - 7.95) / (2.285 * width)).rounded(.up))
        let half = max(1, (order + 1) / 2)
        let cutoff = (frequency + stop) / 2 / rate  // cycles per sample, the −6 dB point of h
        var taps = [Double](repeating: 0, count: 2 * half + 1)
        let i0Beta = Self.besselI0(beta)
        for n in 0...(2 * half) {
            let k = Double(n - half)
            let ratio = k / Double(half)
            let window = Self.besselI0(beta * max(0, 1 - ratio * ratio).squareRoot()) / i0Beta
            let x = 2 * cutoff * k
            taps[n] = 2 * cutoff * (k == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)) * window
        }
        let dc = taps.reduce(0, +)
        lowpass = taps.map { $0 / dc }
    }

    /// The side high-pass's complex response at `hertz` relative to a pure delay of `half` samples (a real number:
    /// the filter is zero-phase once its delay is removed).
    public func sideResponse(at hertz: Double) -> Double {
        let w = 2 * Double.pi * hertz / Double(sampleRate)
        var low = lowpass[half]
        for k in 1...half { low += 2 * lowpass[half + k] * cos(w * Double(k)) }
        return 1 - low
    }

    /// Makes the lows of a stereo signal mono, in place, aligned with the input (see the type's comment).
    /// One-channel signals are left as they are.
    public func apply(_ channels: inout [[Float]]) {
        guard channels.count == 2, !channels[0].isEmpty else { return }
        let frames = channels[0].count
        // Side, padded with `half` zeros so the filter's delayed output covers the whole signal.
        var side = [Float](repeating: 0, count: frames + half)
        for i in 0..<frames { side[i] = Float(0.5 * (Double(channels[0][i]) - Double(channels[1][i]))) }
        let low = FIRFilter.apply(lowpass.map { Float($0) }, to: side)
        // S′ = S − lowpass(S) (zero-phase), so L′ = M + S′ = L − lowpass(S) and R′ = R + lowpass(S).
        for i in 0..<frames {
            let l = low[i + half]
            channels[0][i] -= l
            channels[1][i] += l
        }
    }

    /// Modified Bessel function of the first kind, order 0 (power series).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        while term > 1e-20 * sum {
            term *= (x / (2 * k)) * (x / (2 * k))
            sum += term
            k += 1
        }
        return sum
    }
}
