import DSP
import Foundation
import Testing

/// delay: echoes at exact whole-sample times with closed-form amplitudes, ping-pong alternation, the feedback
/// lowpass's per-repeat response, the declared tail, and the five-test kit.
@Suite struct DelayTests {
    typealias Kit = ProcessorTestKit

    /// Runs a unit impulse at `at` through a delay; returns planar output.
    func impulseResponse(_ parameters: DelayParameters, channels: Int = 1, frames: Int, at: Int = 100,
                         left: Float = 1, right: Float = 0) -> [[Float]] {
        var input = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channels)
        input[0][at] = left
        if channels == 2 { input[1][at] = right }
        return Kit.run(.delay(parameters), input, blockSize: 333)
    }

    /// Closed form: y[n0] = (1 − mix); y[n0 + (k+1)·T] = mix·fb^k; zero elsewhere (T = round(time·fs)).
    @Test(arguments: [(0.010, 0.5, 0.4), (0.25, 0.3, 0.3), (0.0100104, 0.9, 1.0), (0.001, 0.0, 0.5)])
    func echoesMatchClosedForm(time: Double, feedback: Double, mix: Double) {
        let parameters = DelayParameters(time: time, feedback: feedback, mix: mix)
        let period = Int((time * 48000).rounded())
        let frames = 100 + period * 12 + 10
        let output = impulseResponse(parameters, frames: frames)[0]
        var expected = [Double](repeating: 0, count: frames)
        expected[100] = 1 - mix
        var k = 0
        while 100 + (k + 1) * period < frames {
            expected[100 + (k + 1) * period] = mix * pow(feedback, Double(k))
            k += 1
        }
        var worst = 0.0
        for n in 0..<frames { worst = max(worst, abs(Double(output[n]) - expected[n])) }
        // Computed in Double, rounded to Float once per output sample: within one Float ulp of 1.
        #expect(worst <= 1.2e-7, "largest error \(worst)")
    }

    /// A note value resolves at the session tempo upstream; here the 1/8 at 120 BPM is 0.25 s = 12000 samples.
    @Test func delayTimeRoundsToNearestSample() {
        let coefficients = DelayCoefficients(DelayParameters(time: 0.0104999), sampleRate: 48000)
        #expect(coefficients.samples == 504)  // 503.995 → 504
        #expect(DelayCoefficients.samples(0.25, sampleRate: 48000) == 12000)
        #expect(DelayCoefficients.samples(0.00001, sampleRate: 48000) == 1)
    }

    @Test func pingPongAlternatesChannels() {
        let parameters = DelayParameters(time: 0.005, feedback: 0.6, mix: 0.5, pingpong: true)
        let period = 240
        let output = impulseResponse(parameters, channels: 2, frames: 100 + period * 8 + 5, left: 0.8, right: 0.2)
        // The mono sum (0.5) enters the left line: echo k lands left for even k, right for odd k.
        for k in 0..<7 {
            let n = 100 + (k + 1) * period
            let expected = Float(0.5 * 0.5 * pow(0.6, Double(k)))
            let (hit, miss) = k % 2 == 0 ? (output[0][n], output[1][n]) : (output[1][n], output[0][n])
            #expect(abs(hit - expected) <= 1e-7, "echo \(k)")
            #expect(miss == 0, "echo \(k) leaked to the other side")
        }
        #expect(output[0][100] == 0.4 && output[1][100] == 0.1)  // dry, (1 − mix)·input
        let nonZero = (0..<2).map { c in output[c].indices.filter { output[c][$0] != 0 } }
        #expect(nonZero[0].allSatisfy { ($0 - 100) % (2 * period) == period || $0 == 100 })
        #expect(nonZero[1].allSatisfy { ($0 - 100) % (2 * period) == 0 })
    }

    /// Echo k of a steady sine is the sine × mix·fb^k·|H(f)|^k: the feedback lowpass acts once per repeat. |H| of
    /// the bilinear first-order lowpass: 1/√(1 + (tan(πf/fs)/tan(πfc/fs))²) (analog prototype at the warped frequency).
    @Test(arguments: [(5000.0, 2000.0), (1000.0, 3000.0), (10000.0, 6000.0)])
    func lowpassDarkensEachRepeat(frequency: Double, cutoff: Double) {
        let period = 4800, burst = 3840
        let parameters = DelayParameters(time: 0.1, feedback: 0.7, mix: 1, lowpass: cutoff)
        var input = [Float](repeating: 0, count: period * 6)
        for n in 0..<burst { input[n] = Float(0.5 * sin(2 * .pi * frequency * Double(n) / 48000)) }
        let output = Kit.run(.delay(parameters), [input], blockSize: 512)[0]
        let magnitude = 1 / (1 + pow(tan(.pi * frequency / 48000) / tan(.pi * cutoff / 48000), 2)).squareRoot()
        // Measure whole periods of the sine (48 and 4.8 and 9.6 samples: 1440 samples hold whole periods of each),
        // well after the filter's transients.
        let reference = Kit.rms(input[1000..<2440])
        for k in 0..<4 {
            let start = (k + 1) * period + 1000
            let measured = Kit.rms(output[start..<(start + 1440)]) / reference
            let expected = pow(0.7 * magnitude, Double(k))
            let errorDB = 20 * log10(measured / expected)
            #expect(abs(errorDB) < 0.01, "echo \(k): \(errorDB) dB")
        }
    }

    /// The tail lasts until mix·fb^k < −90 dB: the last echo inside it is above the floor, none after it.
    @Test(arguments: [(0.02, 0.3, 0.3), (0.01, 0.8, 1.0), (0.05, 0.0, 0.5)])
    func tailCoversEchoesDownToMinus90dB(time: Double, feedback: Double, mix: Double) {
        let parameters = DelayParameters(time: time, feedback: feedback, mix: mix)
        var delay = Delay(parameters)
        let tail = delay.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 512, channels: 1)).tail
        let output = impulseResponse(parameters, frames: 100 + tail + 48000)[0]
        let floor = Float(pow(10, -90.0 / 20))
        let lastAudible = output.indices.last { abs(output[$0]) >= floor }!
        #expect(lastAudible - 100 == tail, "last echo above −90 dB at \(lastAudible - 100), tail \(tail)")
    }

    @Test func tailIsCappedAt30Seconds() {
        #expect(Delay.tail(DelayParameters(time: 2, feedback: 0.99, mix: 1), sampleRate: 48000) == 30 * 48000)
        #expect(Delay.tail(DelayParameters(time: 2, feedback: 0.5, mix: 0), sampleRate: 48000) == 0)
    }

    @Test func mixZeroReturnsTheInput() {
        let input = [Kit.noise(30000, seed: 5), Kit.noise(30000, seed: 6)]
        for parameters in [DelayParameters(time: 0.01, feedback: 0.5, mix: 0),
                           DelayParameters(time: 0.01, feedback: 0.9, mix: 0, lowpass: 3000, pingpong: true)] {
            #expect(Kit.bits(Kit.run(.delay(parameters), input)) == Kit.bits(input))
        }
    }

    /// Feedback 0, mix 100 %: a pure delay of exactly round(time·fs) samples.
    @Test func singleEchoIsAnExactDelay() {
        let input = Kit.noise(20000, seed: 9)
        let output = Kit.run(.delay(DelayParameters(time: 0.0075, feedback: 0, mix: 1)), [input])[0]
        #expect(output.prefix(360).allSatisfy { $0 == 0 })
        #expect(Array(output[360...]) == Array(input[..<(20000 - 360)]))
    }

    @Test(arguments: [DelayParameters(time: 0.0123, feedback: 0.6, mix: 0.4),
                      DelayParameters(time: 0.003, feedback: 0.8, mix: 0.5, lowpass: 2500),
                      DelayParameters(time: 0.0071, feedback: 0.7, mix: 0.3, lowpass: 5000, pingpong: true)])
    func kit(parameters: DelayParameters) {
        let input = [Kit.noise(20000, seed: 3), Kit.noise(20000, seed: 4)]
        Kit.expectBlockSizeInvariance(.delay(parameters), input)
        Kit.expectResetRepeats(.delay(parameters), input)
        let latency = Kit.measuredLatency(.delay(DelayParameters(time: 0.01, feedback: 0.5, mix: 0.3)))
        #expect(latency.declared == 0 && latency.measured == 0)
    }

    @Test func pingPongNeedsStereo() {
        #expect(ProcessorConfiguration.delay(DelayParameters(time: 0.1, pingpong: true)).requiresStereo)
        #expect(!ProcessorConfiguration.delay(DelayParameters(time: 0.1)).requiresStereo)
    }
}
