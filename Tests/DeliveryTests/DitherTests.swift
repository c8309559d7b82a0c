import Delivery
import Foundation
import Testing
import TestSupport

/// TPDF dither (delivery-reference §4): total error variance 1/4 LSB², mean 0, independent of the signal; seeded
/// (same seed, same bits); noise shaping moves the error out of the low band.
@Suite("Ditherer")
struct DitherTests {
    static let rate = 44100
    static let frames = 1 << 18

    /// A low-level signal where plain rounding gives an error that follows the signal: a 997 Hz sine of 3.3 LSB
    /// plus 0.37 LSB of DC, at 16 bits.
    static func signal(channels: Int = 2) -> [[Float]] {
        let lsb = 1.0 / 32768
        return (0..<channels).map { c in
            (0..<frames).map { n in
                Float((3.3 * sin(2 * Double.pi * 997 * Double(n) / Double(rate) + Double(c)) + 0.37) * lsb)
            }
        }
    }

    /// Output − input in LSB, and the input in LSB, for one channel.
    static func error(_ output: [Float], _ input: [Float]) -> (error: [Double], input: [Double]) {
        let x = input.map { Double($0) * 32768 }
        return (zip(output, x).map { Double($0) * 32768 - $1 }, x)
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

    @Test("TPDF: error mean ≈ 0, variance 1/4 LSB² ±10 %, uncorrelated with the signal, not plain rounding")
    func tpdfStatistics() {
        let input = Self.signal()
        var output = input
        var ditherer = Ditherer(mode: .tpdf, bits: 16, channels: 2, seed: 42)
        ditherer.apply(&output)
        for c in 0..<2 {
            // Every value is on the 16-bit grid.
            #expect(output[c].allSatisfy { ($0 * 32768).rounded() == $0 * 32768 })
            let (e, x) = Self.error(output[c], input[c])
            let mean = Self.mean(e)
            let variance = e.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(e.count)
            let xm = Self.mean(x)
            let covariance = zip(e, x).map { ($0 - mean) * ($1 - xm) }.reduce(0, +) / Double(e.count)
            let xVariance = x.map { ($0 - xm) * ($0 - xm) }.reduce(0, +) / Double(x.count)
            let correlation = covariance / (variance * xVariance).squareRoot()
            #expect(abs(mean) < 0.01, "mean error \(mean) LSB")
            #expect(abs(variance - 0.25) <= 0.025, "error variance \(variance) LSB², expected 0.25")
            #expect(abs(correlation) < 0.01, "correlation with the signal \(correlation)")
            // Plain rounding keeps |error| ≤ ½ LSB and is a function of the signal; with TPDF about a third of the
            // errors are larger (the triangular ±1 LSB noise plus the rounding).
            let wide = Double(e.filter { abs($0) > 0.5 }.count) / Double(e.count)
            #expect(wide > 0.2 && wide < 0.45, "fraction of |error| > ½ LSB: \(wide)")
            #expect(e.allSatisfy { abs($0) < 1.5 })
            // Rounding only, for contrast: a visible correlation and a variance far from 1/4.
            let (r, _) = Self.error(input[c].map { Float(($0 * 32768).rounded() / 32768) }, input[c])
            let roundedMean = Self.mean(r)
            let roundedVariance = r.map { ($0 - roundedMean) * ($0 - roundedMean) }.reduce(0, +) / Double(r.count)
            #expect(abs(roundedVariance - 0.25) > 0.1)
        }
    }

    @Test("Same seed, same bits; another seed (even one differing in the lowest bit), other bits")
    func seeding() {
        let input = Self.signal()
        func run(_ seed: UInt64, _ mode: Ditherer.Mode) -> [[Float]] {
            var output = input
            var ditherer = Ditherer(mode: mode, bits: 16, channels: 2, seed: seed)
            ditherer.apply(&output)
            return output
        }
        for mode in [Ditherer.Mode.tpdf, .shaped] {
            #expect(run(2, mode) == run(2, mode))
            #expect(run(2, mode) != run(3, mode))
            #expect(run(stableSeed("cd"), mode) != run(stableSeed("cd2"), mode))
        }
        // FNV-1a, not Swift's per-process hash: the published value for "a".
        #expect(stableSeed("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test("The output does not depend on how the signal is cut into blocks")
    func blockInvariance() {
        let input = Self.signal()
        var whole = input
        var one = Ditherer(mode: .shaped, bits: 16, channels: 2, seed: 7)
        one.apply(&whole)
        var two = Ditherer(mode: .shaped, bits: 16, channels: 2, seed: 7)
        var pieces: [[Float]] = [[], []]
        for range in [0..<1000, 1000..<1001, 1001..<Self.frames] {
            var part = input.map { Array($0[range]) }
            two.apply(&part)
            for c in 0..<2 { pieces[c] += part[c] }
        }
        #expect(pieces == whole)
    }

    @Test("Shaped dither: error power below 4 kHz well under TPDF's, at the cost of more power up high")
    func shapedSpectrum() {
        let input = Self.signal(channels: 1)
        func errorSpectrum(_ mode: Ditherer.Mode) -> [Double] {
            var output = input
            var ditherer = Ditherer(mode: mode, bits: 16, channels: 1, seed: 11)
            ditherer.apply(&output)
            return SpectralPower.welch(Self.error(output[0], input[0]).error, segment: 4096)
        }
        let tpdf = errorSpectrum(.tpdf), shaped = errorSpectrum(.shaped)
        let lowTPDF = SpectralPower.band(tpdf, sampleRate: Self.rate, from: 0, to: 4000)
        let lowShaped = SpectralPower.band(shaped, sampleRate: Self.rate, from: 0, to: 4000)
        let below = SpectralPower.decibels(lowShaped / lowTPDF)
        // Lipshitz's filter: −16.6 dB at DC, about −27 dB near 4 kHz.
        #expect(below < -15, "shaped vs TPDF below 4 kHz: \(below) dB")
        let total = SpectralPower.decibels(shaped.reduce(0, +) / tpdf.reduce(0, +))
        #expect(total > 0, "shaped vs TPDF over the whole band: \(total) dB")
        // TPDF error is white: within ±1 dB between the 0–4 kHz band and the whole band, per Hz.
        let whitePerHz = SpectralPower.decibels((lowTPDF / 4000) / (tpdf.reduce(0, +) / 22050))
        #expect(abs(whitePerHz) < 1, "TPDF low band vs average density: \(whitePerHz) dB")
    }
}
