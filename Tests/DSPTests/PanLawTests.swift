import DSP
import Foundation
import Testing

@Suite struct PanLawTests {
    func db(_ gain: Double) -> Double { 20 * log10(gain) }

    /// Centre levels per law, from their definitions.
    @Test(arguments: [(PanCurve.constantPower, -3.0103), (.compromise, -4.5154), (.linear, -6.0206),
                      (.constantPowerUnityCentre, 0.0)])
    func centreLevel(curve: PanCurve, expectedDB: Double) {
        let g = curve.gains(pan: 0)
        #expect(abs(db(g.left) - expectedDB) < 1e-3)
        #expect(g.left == g.right)
    }

    /// Constant power: L² + R² = 1 everywhere, L = cos θ, R = sin θ with θ = (p + 1)π/4.
    @Test func constantPowerIsConstantPower() {
        for step in 0...200 {
            let p = Double(step) / 100 - 1
            let g = PanCurve.constantPower.gains(pan: p)
            #expect(abs(g.left * g.left + g.right * g.right - 1) < 1e-12)
            #expect(abs(g.left - cos((p + 1) * .pi / 4)) < 1e-12)
        }
    }

    @Test(arguments: PanCurve.allCases)
    func hardPansSilenceTheOtherSide(curve: PanCurve) {
        #expect(curve.gains(pan: -1).right == 0)
        #expect(curve.gains(pan: 1).left == 0)
        #expect(curve.gains(pan: -1).left > 0)
    }

    @Test(arguments: PanCurve.allCases)
    func mirrorSymmetric(curve: PanCurve) {
        for p in stride(from: -1.0, through: 1.0, by: 0.125) {
            let a = curve.gains(pan: p), b = curve.gains(pan: -p)
            #expect(abs(a.left - b.right) < 1e-12 && abs(a.right - b.left) < 1e-12)
        }
    }

    /// Bus balance: unity at centre, never above unity, the far side follows the law normalised to centre.
    @Test(arguments: PanCurve.allCases)
    func balance(curve: PanCurve) {
        #expect(curve.balance(pan: 0) == (1, 1))
        for p in stride(from: -1.0, through: 1.0, by: 0.05) {
            let g = curve.balance(pan: p)
            #expect(g.left <= 1 + 1e-12 && g.right <= 1 + 1e-12)
            if p < 0 { #expect(g.left == 1) }
            if p > 0 { #expect(g.right == 1) }
        }
        #expect(curve.balance(pan: 1).left == 0)
    }
}

@Suite struct DecibelTests {
    @Test func conversions() {
        #expect(Decibels.toLinear(-.infinity) == 0)
        #expect(abs(Decibels.toLinear(-6.0206) - 0.5) < 1e-5)
        #expect(abs(Decibels.toLinear(20) - 10) < 1e-12)
        #expect(Decibels.fromLinear(0) == -.infinity)
        #expect(abs(Decibels.fromLinear(Decibels.toLinear(-3.5)) + 3.5) < 1e-12)
    }
}

@Suite struct SignalKernelTests {
    @Test func accumulateAndSanitise() {
        var a: [Float] = [1, 2, 3, .nan, .infinity, 0]
        var b: [Float] = [1, 1, 1, 1, 1, 1]
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                #expect(SignalKernels.sanitise(a.baseAddress!, count: 6) == 2)
                SignalKernels.accumulate(a.baseAddress!, gain: 0.5, into: b.baseAddress!, count: 6)
            }
        }
        #expect(b == [1.5, 2, 2.5, 1, 1, 1])
    }
}
