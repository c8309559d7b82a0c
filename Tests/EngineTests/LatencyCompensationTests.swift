import BounceKit
import Engine
import Foundation
import RenderGraph
import Testing
import TestSupport

/// Look-ahead dynamics declare their latency and the graph compensates it: a track through a transparent
/// compressor (ratio 1, 5 ms look-ahead) or a limiter that never acts, summed with the same stem inverted on a
/// track without latency, cancels to silence; with the plan's compensation delays zeroed it does not.
@Suite struct LatencyCompensationTests {
    let folder = TemporaryDirectory()
    let music = zip(TestAudio.sine(frequency: 330, sampleRate: 48000, frames: 12000, amplitude: 0.3),
                    TestAudio.noise(frames: 12000, amplitude: 0.2, seed: 11)).map { $0 + $1 }

    init() throws {
        try TestAudio.write([music], to: folder.file("music.wav"), sampleRate: 48000)
    }

    func render(_ plan: RenderPlan) throws -> [[Float]] {
        let renderer = try OfflineRenderer(plan: plan, blockSize: 777)
        var audio: [[Float]] = [[], []]
        _ = try renderer.render { _, buffer, first, frames in
            for c in 0..<2 { audio[c] += UnsafeBufferPointer(start: buffer[c] + first, count: frames) }
        }
        return audio
    }

    static let cases: [(insert: String, latency: Int)] = [
        ("compressor: { lookahead: 5 ms, ratio: 1, threshold: 0 dB }", 240),
        ("limiter: { ceiling: -0.1 dBTP, lookahead: 3 ms }", 144),
    ]

    @Test(arguments: cases)
    func latencyIsCompensated(insert: String, latency: Int) throws {
        let path = folder.write("""
            bounce: 1
            tracks:
              processed: { stem: music.wav, inserts: [ { \(insert) } ] }
              inverted: { stem: music.wav, inserts: [ polarity ] }
            """, to: "null.yaml")
        let plan = try Bounce.prepare(recipePath: path).plan
        #expect(plan.latency == latency)
        let compensated = try render(plan)
        #expect(compensated[0].count == 12000)
        let residual = compensated.flatMap { $0 }.map { abs($0) }.max()!
        #expect(residual < 1e-6, "residual \(residual)")

        // The same plan without its compensation delays: the processed track arrives late and does not cancel.
        var uncompensated = plan
        for i in uncompensated.nodes.indices {
            for j in uncompensated.nodes[i].inputs.indices { uncompensated.nodes[i].inputs[j].delay = 0 }
        }
        #expect(uncompensated != plan)
        let late = try render(uncompensated)
        let leftover = late.flatMap { $0 }.map { abs($0) }.max()!
        #expect(leftover > 0.1, "without compensation the sum should not cancel (max \(leftover))")
    }
}
