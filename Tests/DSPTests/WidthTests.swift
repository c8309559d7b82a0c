import DSP
import Testing

/// width: M/S closed form, bit-exact null at 1, the five-test kit.
@Suite struct WidthTests {
    let input = [ProcessorTestKit.noise(20000, seed: 21), ProcessorTestKit.noise(20000, seed: 22)]

    /// L' = M + w·S, R' = M − w·S with M = (L + R)/2, S = (L − R)/2, in Double: within 2e-7 (Float rounding of
    /// samples in ±1).
    @Test(arguments: [0.0, 0.5, 1.5, 2])
    func matchesMidSideClosedForm(width: Double) {
        let output = ProcessorTestKit.run(.width(width), input)
        var worst = 0.0
        for i in 0..<20000 {
            let l = Double(input[0][i]), r = Double(input[1][i])
            let m = (l + r) / 2, s = (l - r) / 2
            worst = max(worst, abs(Double(output[0][i]) - (m + width * s)), abs(Double(output[1][i]) - (m - width * s)))
        }
        print("width \(width): \(worst)")
        #expect(worst <= 2e-7, "worst error \(worst)")
    }

    @Test func widthZeroIsMono() {
        let output = ProcessorTestKit.run(.width(0), input)
        for i in 0..<20000 { #expect(abs(output[0][i] - output[1][i]) <= 1e-7) }
    }

    @Test func widthOneIsABitExactNull() {
        #expect(ProcessorTestKit.bits(ProcessorTestKit.run(.width(1), input)) == ProcessorTestKit.bits(input))
    }

    /// On one channel (a mono signal) width changes nothing, whatever the setting.
    @Test func monoIsUntouched() {
        #expect(ProcessorTestKit.run(.width(2), [input[0]]) == [input[0]])
        #expect(ProcessorConfiguration.width(2).requiresStereo)
    }

    @Test func kit() {
        ProcessorTestKit.expectBlockSizeInvariance(.width(1.7), input)
        ProcessorTestKit.expectResetRepeats(.width(0.3), input)
        let latency = ProcessorTestKit.measuredLatency(.width(1.5))
        #expect(latency.declared == 0 && latency.measured == 0)
    }
}
