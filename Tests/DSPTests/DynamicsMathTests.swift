import DSP
import Foundation
import Testing

/// The fast log2/exp2 the dynamics processors use per sample, against libm over their whole useful domain.
@Suite struct DynamicsMathTests {
    @Test func fastLog2IsWithinItsStatedError() {
        var worst = 0.0
        var x: Float = 1e-9
        while x < 4 {
            worst = max(worst, abs(Double(DynamicsMath.fastLog2(x)) - log2(Double(x))))
            x *= 1.000_37
        }
        #expect(worst <= 1e-5, "worst |error| \(worst)")
        #expect(DynamicsMath.fastLog2(1) == 0)
        #expect(DynamicsMath.fastLog2(0.25) == -2)
    }

    @Test func fastExp2IsWithinItsStatedError() {
        var worst = 0.0
        var y: Float = -30
        while y < 10 {
            let exact = exp2(Double(y))
            worst = max(worst, abs(Double(DynamicsMath.fastExp2(y)) / exact - 1))
            y += 0.000_731
        }
        #expect(worst <= 3e-7, "worst relative error \(worst)")
        #expect(DynamicsMath.fastExp2(0) == 1)
        #expect(DynamicsMath.fastExp2(-3) == 0.125)
    }

    /// α = exp(−1/(τ·fs)): a one-pole step response reaches 1 − 1/e after τ·fs samples.
    @Test func coefficientMeaning() {
        let alpha = DynamicsMath.coefficient(seconds: 0.01, sampleRate: 48000)
        #expect(abs(pow(alpha, 480) - exp(-1)) < 1e-12)
        #expect(DynamicsMath.coefficient(seconds: 0, sampleRate: 48000) == 0)
    }
}
