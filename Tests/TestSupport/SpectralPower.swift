import Foundation

/// Power spectra in Double for delivery tests: a radix-2 FFT and Welch's averaged periodogram (Hann window, 50 %
/// overlap), so band energies (side channel below 150 Hz, dither noise below 4 kHz) can be compared between signals.
public enum SpectralPower {
    /// In-place iterative radix-2 FFT; `re.count` must be a power of two.
    public static func fft(_ re: inout [Double], _ im: inout [Double]) {
        let n = re.count
        precondition(n > 1 && n & (n - 1) == 0, "FFT size must be a power of two")
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { re.swapAt(i, j); im.swapAt(i, j) }
        }
        let cosines = (0..<(n / 2)).map { cos(-2 * Double.pi * Double($0) / Double(n)) }
        let sines = (0..<(n / 2)).map { sin(-2 * Double.pi * Double($0) / Double(n)) }
        var size = 2
        while size <= n {
            let stride = n / size
            for start in Swift.stride(from: 0, to: n, by: size) {
                for k in 0..<(size / 2) {
                    let wr = cosines[k * stride], wi = sines[k * stride]
                    let a = start + k, b = a + size / 2
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                }
            }
            size *= 2
        }
    }

    /// Welch's estimate: the mean over Hann-windowed segments (50 % overlap) of |X[k]|², for bins 0…segment/2.
    /// Only ratios between spectra estimated the same way are meaningful (no absolute scaling).
    public static func welch(_ x: [Double], segment: Int) -> [Double] {
        precondition(x.count >= segment)
        let window = (0..<segment).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(segment)) }
        var sum = [Double](repeating: 0, count: segment / 2 + 1)
        var count = 0
        var start = 0
        while start + segment <= x.count {
            var re = (0..<segment).map { x[start + $0] * window[$0] }
            var im = [Double](repeating: 0, count: segment)
            fft(&re, &im)
            for k in sum.indices { sum[k] += re[k] * re[k] + im[k] * im[k] }
            count += 1
            start += segment / 2
        }
        return sum.map { $0 / Double(count) }
    }

    /// Σ of `spectrum` over the bins whose centre frequency f satisfies low ≤ f < high.
    public static func band(_ spectrum: [Double], sampleRate: Int, from low: Double, to high: Double) -> Double {
        let segment = 2 * (spectrum.count - 1)
        var total = 0.0
        for k in spectrum.indices {
            let f = Double(k) * Double(sampleRate) / Double(segment)
            if f >= low && f < high { total += spectrum[k] }
        }
        return total
    }

    public static func decibels(_ power: Double) -> Double { 10 * log10(power) }
}
