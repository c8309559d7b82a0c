import DSP
import Foundation
import Testing

/// limiter: the output's true peak, measured by an independent meter written here, never exceeds the ceiling;
/// quiet material passes bit-exact; latency, release and the kit.
@Suite struct LimiterTests {
    /// An independent 4× true-peak meter in Double: Kaiser-windowed sinc (β = 10, 2 × 64 taps per phase,
    /// cutoff at the input Nyquist frequency) at c + ¼, ½, ¾, plus the samples themselves. Longer, with another
    /// window and another precision than the limiter's detector (2 × 24 taps, β = 8, Float).
    enum ReferenceMeter {
        static let half = 64
        static let phases: [[Double]] = (1...3).map { k in
            (0..<(2 * half)).map { t in
                let d = Double(k) / 4 - Double(t - (half - 1))
                let r = d / Double(half)
                return sin(Double.pi * d) / (Double.pi * d) * besselI0(10 * max(0, 1 - r * r).squareRoot()) / besselI0(10)
            }
        }

        static func besselI0(_ x: Double) -> Double {
            var sum = 1.0, term = 1.0
            for k in 1...60 {
                term *= (x / (2 * Double(k))) * (x / (2 * Double(k)))
                sum += term
            }
            return sum
        }

        /// True peak of one channel, linear, over the intervals starting at the frames in `range` (default: all).
        static func truePeak(_ x: [Float], in range: Range<Int>? = nil) -> Double {
            let n = x.count, range = range ?? 0..<n
            var padded = [Double](repeating: 0, count: n + 2 * half)
            for i in 0..<n { padded[half + i] = Double(x[i]) }
            var peak = x[range].reduce(0.0) { max($0, abs(Double($1))) }
            padded.withUnsafeBufferPointer { p in
                for taps in phases {
                    taps.withUnsafeBufferPointer { h in
                        for c in range {
                            // window x[c − half + 1 … c + half] starts at padded index c + 1
                            let base = p.baseAddress! + c + 1
                            var sum = 0.0
                            for t in 0..<(2 * half) { sum += base[t] * h[t] }
                            peak = max(peak, abs(sum))
                        }
                    }
                }
            }
            return peak
        }

        static func truePeakDB(_ channels: [[Float]], in range: Range<Int>? = nil) -> Double {
            20 * log10(channels.map { truePeak($0, in: range) }.max()!)
        }
    }

    /// The BS.1770-4 Annex 2 meter itself: the ITU's 48-tap polyphase table (12 taps × 4 phases), in Double,
    /// written out here from the recommendation's table (as quoted in delivery-reference.md §1.4).
    enum AnnexMeter {
        static let phase0: [Double] = [
            0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
            0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500,
        ]
        static let phase1: [Double] = [
            -0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
            0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375,
        ]

        static func truePeakDB(_ channels: [[Float]]) -> Double {
            let phases = [phase0, phase1, phase1.reversed(), phase0.reversed()]
            var peak = 0.0
            for x in channels {
                for n in 0..<(x.count + 11) {
                    for phase in phases {
                        var sum = 0.0
                        for j in 0..<12 where n - j >= 0 && n - j < x.count { sum += phase[j] * Double(x[n - j]) }
                        peak = max(peak, abs(sum))
                    }
                }
            }
            return 20 * log10(peak)
        }
    }

    /// Deterministic uniform numbers in [0, 1).
    struct Random {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    /// A loud test signal of one of four kinds, band-limited below 20 kHz (as programme material is), in a burst
    /// with 2 ms raised-cosine fades, sample peak normalised to 1 and boosted by 6…20 dB.
    static func loudSignal(kind: Int, seed: UInt64, frames: Int = 7200) -> [[Float]] {
        loudBurst(kind: kind, seed: seed, frames: frames).channels
    }

    /// `loudSignal` and the frames its burst covers.
    static func loudBurst(kind: Int, seed: UInt64, frames: Int = 7200) -> (channels: [[Float]], burst: Range<Int>) {
        var random = Random(state: seed)
        let fs = 48000.0
        let start = 200 + Int(random.next() * 1000), length = 2000 + Int(random.next() * 3500)
        let boost = pow(10, (6 + 14 * random.next()) / 20)
        func envelope(_ n: Int) -> Double {
            let fade = 96.0, t = Double(n - start)
            if t < 0 || t >= Double(length) { return 0 }
            let edge = min(t, Double(length) - 1 - t)
            return edge >= fade ? 1 : 0.5 - 0.5 * cos(Double.pi * edge / fade)
        }
        var channels: [[Double]] = []
        for channel in 0..<2 {
            var x = [Double](repeating: 0, count: frames)
            switch kind {
            case 0:  // noise low-passed at 19 kHz (windowed-sinc FIR, 2 × 32 taps)
                let white = (0..<(frames + 64)).map { _ in random.next() * 2 - 1 }
                let cutoff = 19000 / fs
                let h = (-32...32).map { k -> Double in
                    let sinc = k == 0 ? 2 * cutoff : sin(2 * Double.pi * cutoff * Double(k)) / (Double.pi * Double(k))
                    return sinc * (0.54 + 0.46 * cos(Double.pi * Double(k) / 33))
                }
                for n in 0..<frames { x[n] = zip(h, white[n..<(n + 65)]).reduce(0) { $0 + $1.0 * $1.1 } }
            case 1:  // fs/4 sine sampled 45° from its peaks: the worst inter-sample overshoot
                let phase = Double.pi / 4 + Double(channel) * Double.pi / 2 * (random.next() < 0.5 ? 0 : 1)
                for n in 0..<frames { x[n] = sin(Double.pi / 2 * Double(n) + phase) }
            case 2:  // band-limited square (odd harmonics below 20 kHz)
                let f0 = 60 + 2000 * random.next(), phase = random.next() * 2 * Double.pi
                var k = 1
                while Double(k) * f0 < 20000 {
                    for n in 0..<frames { x[n] += sin(Double(k) * (2 * Double.pi * f0 * Double(n) / fs + phase)) / Double(k) }
                    k += 2
                }
            default:  // band-limited sawtooth plus a high sine
                let f0 = 80 + 1500 * random.next(), high = 9000 + 9000 * random.next()
                var k = 1
                while Double(k) * f0 < 20000 {
                    for n in 0..<frames { x[n] += sin(Double(k) * 2 * Double.pi * f0 * Double(n) / fs) / Double(k) }
                    k += 1
                }
                for n in 0..<frames { x[n] += 0.5 * sin(2 * Double.pi * high * Double(n) / fs) }
            }
            for n in 0..<frames { x[n] *= envelope(n) }
            channels.append(x)
        }
        let peak = channels.flatMap { $0 }.reduce(0) { max($0, abs($1)) }
        return (channels.map { $0.map { Float($0 / peak * boost) } }, start..<(start + length))
    }

    /// 100 loud signals, boosted 6…20 dB: the output's true peak stays at the ceiling by both meters (+0.005 dB
    /// for meter differences; the worst overshoot is reported in the message).
    @Test(arguments: [-1.0, -0.1, -6])
    func outputTruePeakNeverExceedsTheCeiling(ceiling: Double) async {
        let tolerance = 0.005
        let worst = await withTaskGroup(of: Double.self) { group in
            for index in 0..<(ceiling == -1 ? 100 : 20) {
                group.addTask {
                    let (input, burst) = Self.loudBurst(kind: index % 4, seed: UInt64(index) + 1000 * UInt64(-ceiling * 10))
                    let p = LimiterParameters(ceiling: ceiling, release: 0.02 + 0.1 * Double(index % 3), lookahead: 0.0015)
                    let output = ProcessorTestKit.run(.limiter(p), input)
                    // The burst arrives 72 samples late; outside it (and its meter margin) the output is silent.
                    let metered = max(0, burst.lowerBound - 100)..<min(input[0].count, burst.upperBound + 250)
                    let over = ReferenceMeter.truePeakDB(output, in: metered) - ceiling
                    let annexOver = AnnexMeter.truePeakDB(output) - ceiling
                    #expect(over <= tolerance, "signal \(index) (kind \(index % 4)): \(over) dB over the ceiling")
                    #expect(annexOver <= tolerance, "signal \(index) (kind \(index % 4)): \(annexOver) dB over (Annex 2)")
                    return max(over, annexOver)
                }
            }
            return await group.reduce(-.infinity) { max($0, $1) }
        }
        #expect(worst > -0.1, "limited signals should reach the ceiling: worst \(worst) dB")
        #expect(worst <= tolerance, "worst overshoot \(worst) dB")
    }

    /// Full-band white noise with hard-edged bursts is not band-limited: its "true peak" depends on the meter's
    /// interpolator (a 2 × 64-tap sinc reads it up to 0.7 dB higher than the 12-tap Annex 2 filter). The output
    /// still stays within the ceiling as BS.1770-4 Annex 2 measures it.
    @Test func fullBandNoiseStaysWithinTheAnnexCeiling() {
        var worst = -Double.infinity
        for index in 0..<10 {
            var input = [ProcessorTestKit.noise(6000, amplitude: 4, seed: UInt64(2 * index + 1)),
                         ProcessorTestKit.noise(6000, amplitude: 4, seed: UInt64(2 * index + 2))]
            for c in 0..<2 { for n in 0..<6000 where n < 1000 || n >= 4500 { input[c][n] = 0 } }
            let output = ProcessorTestKit.run(.limiter(LimiterParameters(ceiling: -1)), input)
            worst = max(worst, AnnexMeter.truePeakDB(output) + 1)
        }
        #expect(worst <= 0.005, "worst Annex 2 overshoot \(worst) dB")
    }

    /// A steady sine above the ceiling comes out with its true peak at the ceiling (not far below it).
    @Test func steadySineSitsAtTheCeiling() {
        let sine = ProcessorTestKit.sine(997, frames: 24000, amplitude: 2)
        let output = ProcessorTestKit.run(.limiter(LimiterParameters(ceiling: -1)), [sine, sine])
        #expect(abs(ReferenceMeter.truePeakDB(output, in: 12000..<23000) - -1) < 0.01)
    }

    @Test func quietSignalPassesUnchanged() {
        let quiet = [ProcessorTestKit.sine(12000, frames: 20000, amplitude: 0.6), ProcessorTestKit.noise(20000, amplitude: 0.3)]
        var limiter: any AudioProcessor = Limiter(LimiterParameters(ceiling: -1))
        let latency = limiter.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 2)).latency
        #expect(latency == 72)
        let output = ProcessorTestKit.run(&limiter, quiet, blockSize: 512, prepare: false)
        for c in 0..<2 {
            let unchanged = output[c] == [Float](repeating: 0, count: latency) + quiet[c].dropLast(latency)
            #expect(unchanged, "channel \(c) changed")
        }
    }

    @Test func latencyIsTheLookahead() {
        for (lookahead, expected) in [(0.0015, 72), (0.005, 240), (0.020, 960), (0.0001, 33)] {
            let configuration = ProcessorConfiguration.limiter(LimiterParameters(lookahead: lookahead))
            let measured = ProcessorTestKit.measuredLatency(configuration)
            #expect(measured.declared == expected)
            #expect(measured.measured == expected)
            var impulse = [Float](repeating: 0, count: 3000)
            impulse[500] = 0.01
            let output = ProcessorTestKit.run(configuration, [impulse])[0]
            let delayed = output == [Float](repeating: 0, count: expected) + impulse.dropLast(expected)
            #expect(delayed, "lookahead \(lookahead): the impulse is not just delayed")
        }
    }

    /// After a loud burst the gain recovers exponentially with the release time constant: the recovery goes
    /// from 1 − 1/e to 1 − 1/e² of the way in τ (within 5 %).
    @Test func releaseTimeConstant() {
        let release = 0.05, frames = 48000, latency = 72
        var input = ProcessorTestKit.sine(1000, frames: frames, amplitude: 0.1)
        for n in 2000..<4000 { input[n] *= 10 }  // 0 dBFS burst, −1 dBTP ceiling: about 1 dB of reduction
        let output = ProcessorTestKit.run(.limiter(LimiterParameters(ceiling: -1, release: release)), [input])[0]
        // Gain where the quiet sine is near its crests (|x| > 0.07), from the burst on.
        var gains: [(Int, Double)] = []
        for n in (3000 + latency)..<frames where abs(input[n - latency]) > 0.07 {
            gains.append((n, Double(output[n]) / Double(input[n - latency])))
        }
        // The plateau: the gain at the burst's crests once it has settled (its onset may dip lower).
        let floor = gains.filter { $0.0 >= 3500 + latency && $0.0 < 4000 + latency }.map(\.1).max()!
        #expect(abs(floor - 0.8913 / 1.0) < 0.01, "plateau gain \(floor)")
        func crossing(_ fraction: Double) -> Int {
            gains.first { $0.0 > 4000 + latency && ($0.1 - floor) / (1 - floor) >= fraction }!.0
        }
        let tau = crossing(1 - exp(-2)) - crossing(1 - exp(-1))
        #expect(abs(Double(tau) / (release * 48000) - 1) < 0.05, "release measured as \(tau) samples")
    }

    @Test(arguments: [LimiterParameters(), LimiterParameters(ceiling: -3, release: 0.2, lookahead: 0.005)])
    func kit(p: LimiterParameters) {
        let loud = Self.loudSignal(kind: 0, seed: 7, frames: 20000)
        ProcessorTestKit.expectBlockSizeInvariance(.limiter(p), loud)
        ProcessorTestKit.expectBlockSizeInvariance(.limiter(p), [loud[1]])
        ProcessorTestKit.expectResetRepeats(.limiter(p), loud)
    }
}
