import BounceKit
import DSP
import Engine
import Foundation
import RenderGraph
import Testing
import TestSupport

/// A bass ducked by the kick through `sidechain: kick`: the engine delivers the kick (pre-fader) to the bass
/// compressor, the bass drops while the kick hits and comes back between hits.
@Suite struct SidechainRenderTests {
    let folder = TemporaryDirectory()
    static let hits = [4800, 28800, 52800]  // kick onsets: every 0.5 s
    let kick: [Float] = (0..<96000).map { n in
        guard let onset = SidechainRenderTests.hits.last(where: { $0 <= n }), n - onset < 4800 else { return 0 }
        let t = Double(n - onset) / 48000
        return Float(0.9 * exp(-t / 0.03) * sin(2 * Double.pi * 60 * t))
    }
    let bass = TestAudio.sine(frequency: 110, sampleRate: 48000, frames: 96000, amplitude: 0.3)

    init() throws {
        try TestAudio.write([kick], to: folder.file("kick.wav"), sampleRate: 48000)
        try TestAudio.write([bass], to: folder.file("bass.wav"), sampleRate: 48000)
    }

    func render(_ yaml: String, name: String) throws -> (plan: RenderPlan, audio: [[Float]]) {
        let prepared = try Bounce.prepare(recipePath: folder.write(yaml, to: name))
        let renderer = try OfflineRenderer(plan: prepared.plan, blockSize: 1024)
        var audio: [[Float]] = [[], []]
        _ = try renderer.render { _, buffer, first, frames in
            for c in 0..<2 { audio[c] += UnsafeBufferPointer(start: buffer[c] + first, count: frames) }
        }
        return (prepared.plan, audio)
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
    }

    @Test func kickDucksTheBass() throws {
        // The kick's fader is at −inf: it still keys (keys are taken before the fader) but is not heard, so the
        // mix is the ducked bass alone.
        let (plan, ducked) = try render("""
            bounce: 1
            tracks:
              kick: { stem: kick.wav, gain: -inf dB }
              bass:
                stem: bass.wav
                inserts:
                  - compressor: { threshold: -30 dB, ratio: 8, knee: 0 dB, attack: 1 ms, release: 60 ms, sidechain: kick }
            """, name: "duck.yaml")
        let (_, plain) = try render("""
            bounce: 1
            tracks:
              bass: { stem: bass.wav }
            """, name: "plain.yaml")

        let bassNode = try #require(plan.nodes.first { $0.name == "bass" })
        let kickNode = try #require(plan.nodes.firstIndex { $0.name == "kick" })
        guard case .strip(let strip) = bassNode.kind else { Issue.record("bass is not a strip"); return }
        #expect(strip.inserts.first?.sidechain?.node == kickNode)

        for onset in Self.hits {
            // While the kick hits (its first 30 ms), the bass is well down; just before the next hit (after 6
            // release time constants) it is back within 0.5 dB.
            let during = 20 * log10(Self.rms(ducked[0][(onset + 240)..<(onset + 1440)]) / Self.rms(plain[0][(onset + 240)..<(onset + 1440)]))
            let before = 20 * log10(Self.rms(ducked[0][(onset + 19200)..<(onset + 24000)]) / Self.rms(plain[0][(onset + 19200)..<(onset + 24000)]))
            #expect(during < -10, "bass during the kick at \(onset): \(during) dB")
            #expect(before > -0.5, "bass before the next kick: \(before) dB")
        }
        // Before the first kick nothing has keyed the compressor: the bass is untouched, bit for bit.
        #expect(Array(ducked[0][0..<4800]) == Array(plain[0][0..<4800]))
    }
}
