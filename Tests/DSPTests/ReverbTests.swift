import DSP
import Foundation
import Testing

/// Algorithmic reverb: RT60 measured from the impulse response (ISO 3382 T30 on Schroeder's backward integral),
/// frequency-dependent decay with damping, tail, stereo width, and the five-test kit.
@Suite struct ReverbTests {
    typealias Kit = ProcessorTestKit

    /// The wet impulse response (unit impulse on both channels at n = 0), planar stereo.
    static func impulseResponse(_ parameters: ReverbParameters, seconds: Double) -> [[Float]] {
        let frames = Int(seconds * 48000)
        var input = [[Float]](repeating: [Float](repeating: 0, count: frames), count: 2)
        input[0][0] = 1
        input[1][0] = 1
        return Kit.run(.reverb(parameters), input, blockSize: 4096)
    }

    @Test(arguments: [0.5, 1.8, 4.0])
    func decayMatchesRT60(decay: Double) {
        let parameters = ReverbParameters(decay: decay, predelay: 0, size: 0.5, damping: 0, width: 1, mix: 1)
        let response = Self.impulseResponse(parameters, seconds: 1.6 * decay + 0.3)
        let t30 = RoomAcoustics.t30(response.map { $0.map(Double.init) }, sampleRate: 48000)
        #expect(abs(t30 / decay - 1) < 0.10, "T30 \(t30) s for decay \(decay) s")
    }

    /// Other sizes keep the decay: the loop gains follow each line's length.
    @Test(arguments: [0.0, 1.0])
    func decayDoesNotDependOnSize(size: Double) {
        let parameters = ReverbParameters(decay: 1.2, predelay: 0, size: size, damping: 0, width: 1, mix: 1)
        let response = Self.impulseResponse(parameters, seconds: 2.3)
        let t30 = RoomAcoustics.t30(response.map { $0.map(Double.init) }, sampleRate: 48000)
        #expect(abs(t30 / 1.2 - 1) < 0.10, "T30 \(t30) s at size \(size)")
    }

    /// With damping, mid frequencies (octave band at 500 Hz and 1 kHz) still decay in `decay`; the highs (octave
    /// at 16 kHz, far above the 4 kHz crossover) in about decay × (1 − 0.9·damping).
    @Test(arguments: [0.4, 0.8])
    func dampingShortensOnlyTheHighs(damping: Double) {
        let decay = 2.0
        let parameters = ReverbParameters(decay: decay, predelay: 0, size: 0.5, damping: damping, width: 1, mix: 1)
        let response = Self.impulseResponse(parameters, seconds: 1.6 * decay + 0.3).map { $0.map(Double.init) }
        for centre in [500.0, 1000.0] {
            let t30 = RoomAcoustics.t30(RoomAcoustics.octaveBand(response, centre: centre, sampleRate: 48000),
                                        sampleRate: 48000)
            #expect(abs(t30 / decay - 1) < 0.10, "\(centre) Hz: T30 \(t30) s")
        }
        let high = RoomAcoustics.t30(RoomAcoustics.octaveBand(response, centre: 16000, sampleRate: 48000),
                                     sampleRate: 48000)
        let expected = ReverbDesign.highFrequencyDecay(decay: decay, damping: damping)
        #expect(abs(high / expected - 1) < 0.15, "16 kHz: T30 \(high) s, expected about \(expected) s")
    }

    /// After the declared tail the response is below −90 dB (relative to the unit impulse); the tail is about
    /// predelay + 1.5 × decay.
    @Test(arguments: [(0.1, 0.0, 1.0), (0.1, 0.0, 0.0), (0.3, 0.0, 0.5), (1.8, 0.02, 0.5), (3.0, 0.1, 1.0)])
    func tailCoversTheDecay(decay: Double, predelay: Double, size: Double) {
        let parameters = ReverbParameters(decay: decay, predelay: predelay, size: size, damping: 0.4)
        let tail = ReverbDesign.tail(parameters, sampleRate: 48000)
        let response = Self.impulseResponse(parameters, seconds: Double(tail) / 48000 + 0.5)
        let floor = Float(pow(10, -90.0 / 20))
        let late = response.flatMap { $0[tail...] }.map(abs).max()!
        #expect(late < floor, "\(20 * log10(late)) dB after the tail")
        // …and not far beyond: 1.5 × decay is the point where an RT60 decay reaches −90 dB.
        #expect(tail <= Int((predelay + 1.5 * max(decay, 0.2) + 0.11) * 48000))
        // Nothing before the predelay.
        let early = response.flatMap { $0[..<Int((predelay * 48000).rounded())] }.map(abs).max() ?? 0
        #expect(early == 0)
    }

    @Test func widthZeroIsMonoAndWidthOneDecorrelates() {
        let mono = Self.impulseResponse(ReverbParameters(decay: 1, width: 0), seconds: 1)
        #expect(Kit.bits([mono[0]]) == Kit.bits([mono[1]]))
        let wide = Self.impulseResponse(ReverbParameters(decay: 1, width: 1), seconds: 1).map { $0.map(Double.init) }
        var lr = 0.0, ll = 0.0, rr = 0.0
        for n in 0..<wide[0].count {
            lr += wide[0][n] * wide[1][n]
            ll += wide[0][n] * wide[0][n]
            rr += wide[1][n] * wide[1][n]
        }
        let correlation = lr / (ll * rr).squareRoot()
        #expect(abs(correlation) < 0.1, "left/right correlation \(correlation)")
        #expect(abs(10 * log10(ll / rr)) < 1, "left and right carry the same energy")
    }

    /// The wet level depends on the decay, not the size: about 0.11 × decay of the input's energy.
    @Test func wetEnergyFollowsDecayNotSize() {
        for size in [0.0, 0.5, 1.0] {
            let response = Self.impulseResponse(ReverbParameters(decay: 1, predelay: 0, size: size, damping: 0),
                                                seconds: 2)
            let energy = response.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + Double($1) * Double($1) } } / 2
            #expect(abs(10 * log10(energy / 0.113)) < 1.5, "size \(size): wet energy \(energy)")
        }
    }

    @Test func mixZeroReturnsTheInput() {
        let input = [Kit.noise(20000, seed: 5), Kit.noise(20000, seed: 6)]
        let output = Kit.run(.reverb(ReverbParameters(decay: 2, mix: 0)), input)
        #expect(Kit.bits(output) == Kit.bits(input))
    }

    @Test(arguments: [ReverbParameters(), ReverbParameters(decay: 0.4, predelay: 0, size: 0, damping: 0.9, width: 0.3,
                                                           mix: 0.25)])
    func kit(parameters: ReverbParameters) {
        let input = [Kit.noise(20000, seed: 3), Kit.noise(20000, seed: 4)]
        Kit.expectBlockSizeInvariance(.reverb(parameters), input)
        Kit.expectResetRepeats(.reverb(parameters), input)
        // Latency 0: the dry impulse at mix 50 % is the response's peak, at the impulse.
        let latency = Kit.measuredLatency(.reverb(ReverbParameters(decay: 1, mix: 0.5)))
        #expect(latency.declared == 0 && latency.measured == 0)
        #expect(ProcessorConfiguration.reverb(parameters).requiresStereo)
    }

    /// The delay lines are distinct primes (mutually prime lengths), growing with size.
    @Test func lineLengthsAreDistinctPrimes() {
        for size in [0.0, 0.5, 1.0] {
            let lengths = ReverbDesign.lineLengths(size: size, sampleRate: 48000)
            #expect(Set(lengths).count == 16)
            #expect(lengths.allSatisfy { n in n > 1 && !(2..<Int(Double(n).squareRoot() + 1)).contains { n % $0 == 0 } })
        }
        #expect(ReverbDesign.lineLengths(size: 1, sampleRate: 48000).max()! > ReverbDesign.lineLengths(size: 0, sampleRate: 48000).max()!)
    }
}

/// Room-acoustics measurements, written from ISO 3382-1 independently of the reverb.
enum RoomAcoustics {
    /// T30: Schroeder's backward-integrated energy decay curve (summed over channels), a least-squares line through
    /// the −5 … −35 dB part, extrapolated to −60 dB. Seconds.
    static func t30(_ channels: [[Double]], sampleRate: Double) -> Double {
        let frames = channels[0].count
        var curve = [Double](repeating: 0, count: frames)
        var sum = 0.0
        for n in stride(from: frames - 1, through: 0, by: -1) {
            for channel in channels { sum += channel[n] * channel[n] }
            curve[n] = sum
        }
        let total = curve[0]
        var sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0, count = 0.0
        for n in 0..<frames {
            let level = 10 * log10(curve[n] / total)
            guard level <= -5 else { continue }
            if level < -35 { break }
            let t = Double(n) / sampleRate
            sx += t
            sy += level
            sxx += t * t
            sxy += t * level
            count += 1
        }
        let slope = (count * sxy - sx * sy) / (count * sxx - sx * sx)  // dB per second
        return -60 / slope
    }

    /// An octave band: two RBJ band-pass biquads (constant 0 dB peak gain, Q = √2 for one octave) in series,
    /// run forwards in Double.
    static func octaveBand(_ channels: [[Double]], centre: Double, sampleRate: Double) -> [[Double]] {
        let w0 = 2 * Double.pi * centre / sampleRate, q = 2.0.squareRoot()
        let alpha = sin(w0) / (2 * q)
        let a0 = 1 + alpha
        let b = [alpha / a0, 0, -alpha / a0], a = [-2 * cos(w0) / a0, (1 - alpha) / a0]
        func filter(_ x: [Double]) -> [Double] {
            var y = [Double](repeating: 0, count: x.count)
            var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
            for n in 0..<x.count {
                let out = b[0] * x[n] + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2
                x2 = x1; x1 = x[n]; y2 = y1; y1 = out
                y[n] = out
            }
            return y
        }
        return channels.map { filter(filter($0)) }
    }
}

@Suite struct FastSineTests {
    /// Against libm on a dense grid of [0, 1), the fold points (0.25, 0.5, 0.75) included.
    @Test func matchesLibmWithin6e8() {
        var worst = 0.0
        for k in 0..<100_000 {
            let x = Double(k) / 100_000
            worst = max(worst, abs(FastSine.turns(x) - sin(2 * Double.pi * x)))
        }
        for x in [0.25, 0.5, 0.75, 0.999_999_9, 0.250_000_1, 0.749_999_9] {
            worst = max(worst, abs(FastSine.turns(x) - sin(2 * Double.pi * x)))
        }
        #expect(worst < 6e-8, "max error \(worst)")
        #expect(FastSine.turns(0) == 0)
    }
}
