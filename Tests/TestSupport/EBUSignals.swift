import Foundation

/// The synthetic EBU Tech 3341 / 3342 test signals (definitions in `../shared/delivery-reference.md` §2), built
/// sample by sample so the conformance tests need no downloaded files.
public enum EBUSignals {
    /// One piece of a programme: a 1 kHz sine at `dBFS` peak level (nil: silence) lasting `seconds`.
    public struct Segment: Sendable {
        public var dBFS: Double?
        public var seconds: Double
        public init(_ dBFS: Double?, _ seconds: Double) {
            self.dBFS = dBFS
            self.seconds = seconds
        }
    }

    /// A 1 kHz sine whose peak level changes at segment boundaries, phase-continuous:
    /// `A(n)·sin(2π·1000·n/rate)`, A = 10^(dBFS/20). Each segment lasts round(seconds·rate) frames.
    public static func tone(_ segments: [Segment], sampleRate: Int, frequency: Double = 1000) -> [Float] {
        var samples: [Float] = []
        samples.reserveCapacity(segments.reduce(0) { $0 + Int(($1.seconds * Double(sampleRate)).rounded()) })
        let step = 2 * Double.pi * frequency / Double(sampleRate)
        for segment in segments {
            let count = Int((segment.seconds * Double(sampleRate)).rounded())
            guard let level = segment.dBFS else {
                samples.append(contentsOf: repeatElement(0, count: count))
                continue
            }
            let amplitude = pow(10, level / 20)
            let start = samples.count
            for n in start..<(start + count) { samples.append(Float(amplitude * sin(step * Double(n)))) }
        }
        return samples
    }

    /// Tech 3341 tests 15–19: 2 s of `amplitude·sin(2π·n/divisor + phase)` (a sine at rate/divisor) with 10 ms
    /// linear fades at both ends (as libloudness synthesises them).
    public static func truePeak(sampleRate: Int, divisor: Double, phaseDegrees: Double, amplitude: Double) -> [Float] {
        let frames = 2 * sampleRate
        let fade = sampleRate / 100
        let phase = phaseDegrees * .pi / 180
        return (0..<frames).map { n in
            let ramp = min(1, Double(min(n, frames - 1 - n)) / Double(fade))
            return Float(ramp * amplitude * sin(2 * .pi * Double(n) / divisor + phase))
        }
    }
}

/// Small filters for shaping synthetic test programmes.
public enum TestFilters {
    /// A 12 dB/octave low-pass (RBJ cookbook biquad, Q = 1/√2), in Double.
    public static func lowpass(_ x: [Double], cutoff: Double, sampleRate: Int) -> [Double] {
        let w = 2 * Double.pi * cutoff / Double(sampleRate), alpha = sin(w) / (2 * 0.5.squareRoot())
        let a0 = 1 + alpha, a1 = -2 * cos(w) / a0, a2 = (1 - alpha) / a0
        let b1 = (1 - cos(w)) / a0, b0 = b1 / 2, b2 = b0
        var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
        return x.map { input in
            let output = b0 * input + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            (x2, x1, y2, y1) = (x1, input, y1, output)
            return output
        }
    }
}
