import Foundation

/// The algorithmic reverb's fixed design and the derivation of its coefficients from the parameters. Pure
/// functions of (parameters, sample rate), so they could be re-evaluated per sample or per small fixed interval
/// when automation arrives.
public enum ReverbDesign {
    /// Delay lines in the feedback network (the Hadamard matrix needs a power of two).
    public static let lineCount = 16

    /// Line lengths at `size` 1, in ms: geometric from 30 to 100 ms. Scaled by `roomScale(size)` and moved to
    /// the nearest unused prime number of samples, so the lengths are mutually prime (no common echo period).
    static let baseLineMilliseconds: [Double] = (0..<lineCount).map { 30 * pow(100.0 / 30, Double($0) / 15) }

    /// Input diffusion: Schroeder allpasses in series (lengths at size 1 in ms, gains), after Dattorro (1997).
    static let diffusers: [(milliseconds: Double, gain: Double)] = [(4.77, 0.75), (3.60, 0.75), (12.73, 0.625),
                                                                     (9.30, 0.625)]

    /// Modulation: each line's length swings by ±`modulationMilliseconds` at its own rate (Hz) and phase.
    static let modulationMilliseconds = 0.12
    static let modulationRates: [Double] = (0..<lineCount).map { 0.31 + 0.067 * Double(($0 * 7) % lineCount) }
    /// Modulated lengths are recomputed every this many samples (counted from time zero, not per block).
    public static let modulationInterval = 32

    /// High-frequency shelf of the damping: RT60 changes from `decay` (below) to `decay`·(1 − 0.9·damping)
    /// (above) around this frequency (capped at 40 % of the sample rate).
    public static let dampingCrossover = 4000.0

    /// Signs of the input (b) and output (left, right) vectors. Each is a bent sequence: its Hadamard transform
    /// has equal magnitude everywhere, so the first pass through the matrix spreads the input evenly over all
    /// 16 lines (a Hadamard row would send it all into one). The three are mutually orthogonal, so left and right
    /// are decorrelated. Found by exhaustive search (numpy: all ±1 vectors v with |H₁₆·v| = 4 everywhere).
    static let inputSigns: [Float] = [1, 1, 1, 1, 1, 1, -1, -1, 1, -1, -1, 1, -1, 1, -1, 1]
    static let leftSigns: [Float] = [1, -1, 1, 1, 1, -1, 1, 1, 1, 1, 1, -1, -1, -1, -1, 1]
    static let rightSigns: [Float] = [1, 1, 1, 1, -1, 1, -1, 1, -1, 1, 1, -1, 1, 1, -1, -1]

    /// Room scale from `size`: 0.25 (size 0) … 1 (size 1).
    public static func roomScale(_ size: Double) -> Double { 0.25 + 0.75 * size }

    /// The lines' nominal lengths in samples: distinct primes near the scaled base lengths.
    public static func lineLengths(size: Double, sampleRate: Double) -> [Int] {
        var used = Set<Int>()
        return baseLineMilliseconds.map { ms in
            var candidate = max(2, Int((ms * roomScale(size) * sampleRate / 1000).rounded()))
            var step = 0
            // Nearest prime not yet used, searching outwards (below first on ties): deterministic.
            while true {
                for value in [candidate - step, candidate + step] where value >= 2 && isPrime(value) && !used.contains(value) {
                    used.insert(value)
                    return value
                }
                step += 1
                if step > 10_000 { candidate += 1; step = 0 }
            }
        }
    }

    /// Diffuser lengths in samples (at least 1).
    public static func diffuserLengths(size: Double, sampleRate: Double) -> [Int] {
        diffusers.map { max(1, Int(($0.milliseconds * roomScale(size) * sampleRate / 1000).rounded())) }
    }

    /// Modulation depth in samples.
    public static func modulationDepth(sampleRate: Double) -> Double { modulationMilliseconds * sampleRate / 1000 }

    /// Gain per pass through a line of `samples` samples for an RT60 of `seconds`: −60 dB after `seconds`.
    public static func loopGain(samples: Double, rt60 seconds: Double, sampleRate: Double) -> Double {
        pow(10, -3 * samples / (seconds * sampleRate))
    }

    /// RT60 above the damping crossover.
    public static func highFrequencyDecay(decay: Double, damping: Double) -> Double { decay * (1 - 0.9 * damping) }

    /// First-order shelf through which a line's output passes: gain `low` at DC, `high` at Nyquist (bilinear
    /// transform of (high·s + low·ωc)/(s + ωc), prewarped to the crossover).
    public static func dampingShelf(lineSamples: Int, decay: Double, damping: Double, sampleRate: Double) -> Shelf {
        let low = loopGain(samples: Double(lineSamples), rt60: decay, sampleRate: sampleRate)
        if damping == 0 { return Shelf(b0: low, b1: 0, a1: 0) }
        let high = loopGain(samples: Double(lineSamples), rt60: highFrequencyDecay(decay: decay, damping: damping),
                            sampleRate: sampleRate)
        let k = tan(Double.pi * min(dampingCrossover, 0.4 * sampleRate) / sampleRate)
        return Shelf(b0: (high + low * k) / (1 + k), b1: (low * k - high) / (1 + k), a1: (k - 1) / (k + 1))
    }

    /// y[n] = b0·x[n] + b1·x[n−1] − a1·y[n−1]
    public struct Shelf: Sendable, Equatable {
        public var b0: Double, b1: Double, a1: Double
    }

    /// Samples until the response is below −90 dB (of the input): predelay, the longest line, then 1.5 × the
    /// slowest RT60 in the path (−60 dB per RT60): the network's `decay` (no frequency decays slower) or, for
    /// very short decays, the slowest input diffuser's own ringing.
    public static func tail(_ parameters: ReverbParameters, sampleRate: Double) -> Int {
        let diffuserRT60 = zip(diffusers, diffuserLengths(size: parameters.size, sampleRate: sampleRate))
            .map { pair in 3 / -log10(pair.0.gain) * Double(pair.1) / sampleRate }.max()!
        let longest = Double(lineLengths(size: parameters.size, sampleRate: sampleRate).max()!)
            + modulationDepth(sampleRate: sampleRate) + 2
        let predelay = (parameters.predelay * sampleRate).rounded()
        return Int((predelay + longest + 1.5 * max(parameters.decay, diffuserRT60) * sampleRate).rounded(.up))
    }

    static func isPrime(_ n: Int) -> Bool {
        if n < 2 { return false }
        if n % 2 == 0 { return n == 2 }
        var d = 3
        while d * d <= n {
            if n % d == 0 { return false }
            d += 2
        }
        return true
    }
}
