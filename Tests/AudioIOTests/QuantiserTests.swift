@testable import AudioIO
import Testing

/// The writers' quantiser against the definition: round(x · 2^(bits−1)) to nearest, ties to even, clipped to the
/// integer range, NaN as 0, left-justified in Int32.
@Suite struct QuantiserTests {
    static func reference(_ x: Float, bits: Int) -> (Int32, Bool) {
        let scale = Float(1 << (bits - 1))
        if x.isNaN { return (0, false) }
        let scaled = x * scale
        let clipped = scaled > scale - 1 || scaled < -scale
        let limited = Swift.max(-scale, Swift.min(scale - 1, scaled))
        return (Int32(limited.rounded(.toNearestOrEven)) << Int32(32 - bits), clipped)
    }

    @Test(arguments: [16, 24])
    func matchesTheDefinition(_ bits: Int) {
        var values: [Float] = [0, -0, 1, -1, 0.5, -0.5, 2, -2, .infinity, -.infinity, .nan, 1e-9, -1e-9,
                               Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude]
        let lsb = 1 / Float(1 << (bits - 1))
        for k in -40...40 { values.append(Float(k) * lsb / 2) }  // every tie near zero
        for k in 0..<20 { values.append(1 - Float(k) * lsb / 2); values.append(-1 + Float(k) * lsb / 2) }  // ties at full scale
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<100_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(Float(Int64(bitPattern: state) >> 11) / Float(1 << 52) * 1.2)
        }
        var output = [Int32](repeating: 0, count: values.count)
        let clipped = values.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { Quantiser.quantise(source.baseAddress!, count: values.count, bits: bits,
                                                                         into: $0.baseAddress!) }
        }
        var expectedClipped = 0
        for (index, value) in values.enumerated() {
            let (expected, clip) = Self.reference(value, bits: bits)
            if clip { expectedClipped += 1 }
            if output[index] != expected {
                Issue.record("\(value) → \(output[index]), expected \(expected)")
                return
            }
        }
        #expect(clipped == expectedClipped)
    }
}
