import DSP
import Foundation

/// Frequency-domain measurements for filter and distortion tests, all in Double.
enum Spectrum {
    struct Complex: Equatable {
        var re: Double, im: Double
        var magnitude: Double { (re * re + im * im).squareRoot() }
        var decibels: Double { 20 * log10(magnitude) }
        var phase: Double { atan2(im, re) }
        static func * (a: Complex, b: Complex) -> Complex {
            Complex(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re)
        }
        static func / (a: Complex, b: Complex) -> Complex {
            let d = b.re * b.re + b.im * b.im
            return Complex(re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d)
        }
        static func - (a: Complex, b: Complex) -> Complex { Complex(re: a.re - b.re, im: a.im - b.im) }
    }

    /// `count` frequencies spaced logarithmically from `low` to `high` inclusive.
    static func logFrequencies(_ count: Int = 200, from low: Double = 20, to high: Double = 20000) -> [Double] {
        (0..<count).map { low * pow(high / low, Double($0) / Double(count - 1)) }
    }

    /// The direct DFT Σ h[n]·e^(−jωn) of `samples` at each frequency (rotation by a unit phasor per sample,
    /// renormalised every 1024 samples so its rounding does not accumulate).
    static func dft(_ samples: [Float], at frequencies: [Double], sampleRate: Double = 48000) -> [Complex] {
        frequencies.map { f in
            let w = 2 * Double.pi * f / sampleRate
            let step = Complex(re: cos(w), im: -sin(w))
            var phasor = Complex(re: 1, im: 0), sum = Complex(re: 0, im: 0)
            for (n, x) in samples.enumerated() {
                if n % 1024 == 0 { phasor = Complex(re: cos(w * Double(n)), im: -sin(w * Double(n))) }
                sum.re += Double(x) * phasor.re
                sum.im += Double(x) * phasor.im
                phasor = phasor * step
            }
            return sum
        }
    }

    /// The processor's frequency response, measured from its impulse response (`length` samples, mono).
    static func measuredResponse(_ configuration: ProcessorConfiguration, at frequencies: [Double],
                                 length: Int = 1 << 16, sampleRate: Double = 48000) -> [Complex] {
        var impulse = [Float](repeating: 0, count: length)
        impulse[0] = 1
        let output = ProcessorTestKit.run(configuration, [impulse], blockSize: 512, sampleRate: sampleRate)[0]
        return dft(output, at: frequencies, sampleRate: sampleRate)
    }

    /// The smallest signed angle between two phases.
    static func phaseDifference(_ a: Double, _ b: Double) -> Double {
        var d = a - b
        while d > .pi { d -= 2 * .pi }
        while d < -.pi { d += 2 * .pi }
        return d
    }

    /// In-place iterative radix-2 FFT (count must be a power of two).
    static func fft(_ re: inout [Double], _ im: inout [Double]) {
        let n = re.count
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        var size = 2
        while size <= n {
            let angle = -2 * Double.pi / Double(size)
            for start in stride(from: 0, to: n, by: size) {
                for k in 0..<(size / 2) {
                    let wr = cos(angle * Double(k)), wi = sin(angle * Double(k))
                    let a = start + k, b = a + size / 2
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            size *= 2
        }
    }

    /// Power per FFT bin of `samples` (Hann-windowed; count a power of two), bins 0…count/2.
    static func powerSpectrum(_ samples: ArraySlice<Double>) -> [Double] {
        let n = samples.count
        var re = samples.enumerated().map { i, x in x * (0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n))) }
        var im = [Double](repeating: 0, count: n)
        fft(&re, &im)
        return (0...(n / 2)).map { re[$0] * re[$0] + im[$0] * im[$0] }
    }
}
