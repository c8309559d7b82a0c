import BounceKit
import Engine
import Foundation
import Testing
import TestSupport

/// The engine's mix against one computed independently, in Double, straight from the format's definitions:
/// constant-power pan θ = (pan + 1)·π/4, bus balance unity at centre, gains 10^(dB/20), sums of every route and send.
@Suite struct MixReferenceTests {
    let folder = TemporaryDirectory()
    let a = TestAudio.sine(frequency: 440, sampleRate: 48000, frames: 4800, amplitude: 0.3)
    let b = [TestAudio.noise(frames: 6000, amplitude: 0.2, seed: 2), TestAudio.noise(frames: 6000, amplitude: 0.2, seed: 3)]
    let c = TestAudio.noise(frames: 3000, amplitude: 0.25, seed: 4)
    let d = TestAudio.sine(frequency: 1000, sampleRate: 48000, frames: 5000, amplitude: 0.2)

    let recipe = """
        bounce: 1
        title: Reference
        tracks:
          a: { stem: a.wav, gain: -6 dB, pan: L50, bus: grp, sends: { fx: { level: -10 dB, pre: true } } }
          b: { stem: b.wav, gain: -3 dB, pan: 0.2, sends: { fx: -12 dB } }
          c: { stem: c.wav, offset: 100 smp, pan: R100, bus: grp }
          d: { stem: d.wav, offset: -50 smp, gain: +2 dB }
          e: { stem: a.wav, mute: true }
        buses:
          grp: { gain: -1 dB, pan: -0.3, sends: { fx: -6 dB } }
          fx: { gain: -2 dB }
        master: { gain: -0.5 dB }
        """

    init() throws {
        try TestAudio.write([a], to: folder.file("a.wav"), sampleRate: 48000)
        try TestAudio.write(b, to: folder.file("b.wav"), sampleRate: 48000)
        try TestAudio.write([c], to: folder.file("c.wav"), sampleRate: 48000)
        try TestAudio.write([d], to: folder.file("d.wav"), sampleRate: 48000)
        folder.write(recipe, to: "mix.yaml")
    }

    func db(_ x: Double) -> Double { pow(10, x / 20) }
    func pan(_ p: Double) -> (Double, Double) { let t = (p + 1) * .pi / 4; return (cos(t), sin(t)) }

    /// Expected master output, frame by frame, in Double.
    func expected() -> [[Double]] {
        let length = 6000  // b is the longest; c ends at 3100, d at 4950
        var master = [[Double]](repeating: [Double](repeating: 0, count: length), count: 2)
        for n in 0..<length {
            let aIn = n < a.count ? Double(a[n]) : 0
            let cIn = (n >= 100 && n < 3100) ? Double(c[n - 100]) : 0
            let dIn = n + 50 < d.count ? Double(d[n + 50]) : 0
            let bIn = [Double(b[0][n]), Double(b[1][n])]

            let aPan = pan(-0.5), bPan = pan(0.2), cPan = pan(1)
            let aOut = [aIn * db(-6) * aPan.0, aIn * db(-6) * aPan.1]
            let aPre = [aIn * aPan.0, aIn * aPan.1]  // pre-fader: after the sum, before the fader, panned
            let bOut = [bIn[0] * db(-3) * bPan.0, bIn[1] * db(-3) * bPan.1]
            let cOut = [cIn * cPan.0, cIn * cPan.1]
            let dOut = [dIn * db(2) * pan(0).0, dIn * db(2) * pan(0).1]

            // grp: a + c, fader -1 dB, balance -0.3 (left side unity, right side attenuated).
            let grpIn = [aOut[0] + cOut[0], aOut[1] + cOut[1]]
            let balanceRight = pan(-0.3).1 / pan(0).1
            let grpOut = [grpIn[0] * db(-1), grpIn[1] * db(-1) * balanceRight]

            // fx: a pre -10 dB, b post -12 dB, grp post -6 dB; fader -2 dB.
            var fx = [0.0, 0.0]
            for ch in 0..<2 { fx[ch] = (aPre[ch] * db(-10) + bOut[ch] * db(-12) + grpOut[ch] * db(-6)) * db(-2) }

            for ch in 0..<2 { master[ch][n] = (bOut[ch] + dOut[ch] + grpOut[ch] + fx[ch]) * db(-0.5) }
        }
        return master
    }

    @Test func engineMatchesReference() throws {
        let prepared = try Bounce.prepare(recipePath: folder.file("mix.yaml").path)
        #expect(prepared.plan.length == 6000)
        let renderer = try OfflineRenderer(plan: prepared.plan, blockSize: 333)
        var rendered: [[Float]] = [[], []]
        _ = try renderer.render { _, buffer, first, frames in
            for ch in 0..<2 { rendered[ch] += UnsafeBufferPointer(start: buffer[ch] + first, count: frames) }
        }
        let reference = expected()
        var worst = 0.0
        for ch in 0..<2 {
            for n in 0..<6000 { worst = max(worst, abs(Double(rendered[ch][n]) - reference[ch][n])) }
        }
        #expect(worst < 2e-7, "max deviation \(worst) (float rounding only)")
    }

    /// The file on disk is the same mix, quantised to 24 bits.
    @Test func writtenFileMatchesReference() throws {
        let out = TemporaryDirectory()
        let result = try Bounce.render(recipePath: folder.file("mix.yaml").path,
                                       options: RenderOptions(outDirectory: out.url))
        let file = try #require(result.files.first)
        #expect(file.url.path == out.url.path + "/out/Reference/mix/Reference - mix.wav")
        let (channels, rate) = try TestAudio.read(file.url)
        #expect(rate == 48000 && channels[0].count == 6000)
        let reference = expected()
        var worst = 0.0
        for ch in 0..<2 {
            for n in 0..<6000 { worst = max(worst, abs(Double(channels[ch][n]) - reference[ch][n])) }
        }
        #expect(worst <= 0.5 / 8_388_608 + 2e-7, "max deviation \(worst)")
    }
}
