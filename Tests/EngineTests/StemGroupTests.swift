import BounceKit
import Engine
import Foundation
import Testing
import TestSupport

/// Stem groups: each a sub-mix through copies of the same buses and master; with linear processing the stems sum
/// to the mix, and they have the mix's length and start.
@Suite struct StemGroupTests {
    @Test func stemsSumToTheMix() throws {
        let folder = TemporaryDirectory()
        for (index, name) in ["a", "b", "c", "d"].enumerated() {
            try TestAudio.write([TestAudio.noise(frames: 9000 + index * 700, amplitude: 0.2, seed: UInt64(index + 20))],
                                to: folder.file("\(name).wav"), sampleRate: 48000)
        }
        folder.write("""
            bounce: 1
            title: Stems
            tracks:
              a: { stem: a.wav, bus: drums, sends: { room: -6 dB } }
              b: { stem: b.wav, bus: drums, pan: L40 }
              c: { stem: c.wav, offset: 100 smp, sends: { room: { level: -3 dB, pre: true } } }
              d: { stem: d.wav, gain: -4 dB, pan: R30 }
            buses:
              drums: { gain: -2 dB, bus: glue }
              glue: { pan: -0.2 }
              room: { gain: -5 dB, bus: glue }
            master: { gain: -1 dB }
            stems_out:
              drums: [drums]
              c: [c]
              d: [d]
            """, to: "s.yaml")
        let prepared = try Bounce.prepare(recipePath: folder.file("s.yaml").path)
        #expect(prepared.plan.outputs.map(\.stem) == [nil, "drums", "c", "d"])
        let renderer = try OfflineRenderer(plan: prepared.plan, blockSize: 777, jobs: 2)
        var outputs = [[Float]](repeating: [], count: 4)
        _ = try renderer.render { index, buffer, first, frames in
            for i in first..<(first + frames) { outputs[index].append(buffer[0][i]); outputs[index].append(buffer[1][i]) }
        }
        #expect(Set(outputs.map(\.count)).count == 1, "every output has the mix's length")
        var worst: Float = 0
        for i in outputs[0].indices {
            worst = max(worst, abs(outputs[0][i] - (outputs[1][i] + outputs[2][i] + outputs[3][i])))
        }
        #expect(worst < 1e-6, "stems sum to the mix (max difference \(worst))")
        // Shared work: the tracks are computed once; only buses and the master are copied per group.
        let names = prepared.plan.nodes.map(\.name)
        #expect(names.filter { $0.hasPrefix("a") }.count == 2)  // a.stem and a
        #expect(names.contains("master [stem drums]") && names.contains("room [stem c]"))
        #expect(!names.contains("drums [stem d]"), "a group only copies the buses its tracks reach")
        // The drums group holds every input of the drums bus: it shares the mix's drums node instead of a copy.
        #expect(!names.contains("drums [stem drums]") && names.contains("glue [stem drums]"))
    }

    @Test func unknownMemberIsAnError() throws {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.noise(frames: 100)], to: folder.file("a.wav"), sampleRate: 48000)
        folder.write("bounce: 1\ntracks:\n  kick: { stem: a.wav }\nstems_out:\n  drums: [kik]\n", to: "s.yaml")
        let error = #expect(throws: RecipeError.self) { try Bounce.prepare(recipePath: folder.file("s.yaml").path) }
        #expect(error?.diagnostics.map(\.description) == [
            "\(folder.file("s.yaml").path):5:11: error: stem group 'drums' names 'kik', which is no track or bus (did you mean 'kick'?)",
        ])
    }
}
