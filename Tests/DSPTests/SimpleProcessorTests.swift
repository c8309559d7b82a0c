import DSP
import Testing

/// gain, polarity, trim: the five-test kit.
@Suite struct SimpleProcessorTests {
    let input = [ProcessorTestKit.noise(20000, seed: 3), ProcessorTestKit.noise(20000, seed: 4)]

    @Test func gainMatchesDecibels() {
        let output = ProcessorTestKit.run(.gain(decibels: -6), input)
        let factor = Float(Decibels.toLinear(-6))
        for c in 0..<2 { for i in 0..<20000 { #expect(output[c][i] == input[c][i] * factor) } }
        // Null: 0 dB returns the input exactly.
        #expect(ProcessorTestKit.bits(ProcessorTestKit.run(.gain(decibels: 0), input)) == ProcessorTestKit.bits(input))
    }

    @Test func polarityNullsAgainstTheInput() {
        let flipped = ProcessorTestKit.run(.polarity(.all), input)
        for c in 0..<2 { for i in 0..<20000 { #expect(flipped[c][i] + input[c][i] == 0) } }
        let left = ProcessorTestKit.run(.polarity(.left), input)
        #expect(left[1] == input[1])
        #expect(left[0] == input[0].map { -$0 })
    }

    @Test func trimDelaysExactly() {
        let output = ProcessorTestKit.run(.trim(samples: 37), input)
        for c in 0..<2 {
            #expect(output[c].prefix(37).allSatisfy { $0 == 0 })
            #expect(Array(output[c][37...]) == Array(input[c][..<(20000 - 37)]))
        }
    }

    @Test(arguments: [ProcessorConfiguration.gain(decibels: -3), .polarity(.right), .trim(samples: 1000)])
    func kit(configuration: ProcessorConfiguration) {
        ProcessorTestKit.expectBlockSizeInvariance(configuration, input)
        ProcessorTestKit.expectResetRepeats(configuration, input)
        let latency = ProcessorTestKit.measuredLatency(.gain(decibels: 0))
        #expect(latency.declared == latency.measured)
    }

    /// A trim is a delay, not latency: it declares a tail of its length and no latency.
    @Test func trimDeclaresTailNotLatency() {
        var trim = Trim(samples: 480)
        let traits = trim.prepare(ProcessSpec(sampleRate: 48000, maxBlockSize: 64, channels: 1))
        #expect(traits == ProcessorTraits(latency: 0, tail: 480))
    }
}
