import Foundation
import Recipe
import RenderGraph
import Testing

@Suite struct CompilerTests {
    func recipe(_ yaml: String) throws -> Recipe {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["a.wav", "b.wav", "c.wav"] { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
        return try RecipeParser.parse(yaml: yaml, file: "t.yaml", directory: folder)
    }

    let mono = StemInfo(channels: 1, sampleRate: 48000, frames: 48000)

    /// A bus declared before the bus feeding it still comes after it; declaration order breaks ties.
    @Test func topologicalOrderWithDeclarationTieBreak() throws {
        let r = try recipe("""
            bounce: 1
            tracks:
              a: { stem: a.wav, bus: sub }
              b: { stem: b.wav, bus: top }
            buses:
              top: {}
              sub: { bus: top }
              side: {}
            """)
        let plan = RenderGraphCompiler.compile(r, stems: [mono, mono])
        #expect(plan.nodes.map(\.name) == ["a.stem", "a", "b.stem", "b", "sub", "top", "side", "master"])
        for node in plan.nodes {
            for edge in node.inputs { #expect(edge.from < node.id, "inputs come first") }
        }
    }

    /// Sum order: tracks then buses in declaration order; for each, route before send.
    @Test func inputsInDeclarationOrder() throws {
        let r = try recipe("""
            bounce: 1
            tracks:
              a: { stem: a.wav, sends: { fx: -6 dB } }
              b: { stem: b.wav, bus: fx }
              c: { stem: c.wav, sends: { fx: { level: -3 dB, pre: true } } }
            buses:
              fx: { gain: -2 dB }
            """)
        let plan = RenderGraphCompiler.compile(r, stems: [mono, mono, mono])
        let fx = try #require(plan.nodes.first { $0.name == "fx" })
        #expect(fx.inputs.map(\.from) == [1, 3, 5])
        #expect(fx.inputs.map(\.label) == ["send", "route", "send (pre)"])
        #expect(fx.inputs[2].tap == .preFader)
        #expect(abs(fx.inputs[0].gain - pow(10, -6.0 / 20)) < 1e-15)
        let master = try #require(plan.nodes.last)
        #expect(master.inputs.map(\.from) == [1, 5, fx.id])
        guard case .strip(let c) = plan.nodes[5].kind else { Issue.record("c is a strip"); return }
        #expect(c.hasPreFaderTap)
    }

    /// Offsets and resampled lengths become exact frame counts; the render ends with the last stem.
    @Test func lengthAndOffsets() throws {
        let r = try recipe("""
            bounce: 1
            session: { sample_rate: 48000, tempo: 90, meter: 3/4 }
            tracks:
              a: { stem: a.wav, offset: bar 3 }
              b: { stem: b.wav, offset: "1:00.5" }
              c: { stem: c.wav, offset: -100 smp }
            """)
        let slow = StemInfo(channels: 2, sampleRate: 44100, frames: 44101)
        let plan = RenderGraphCompiler.compile(r, stems: [mono, slow, mono])
        var offsets: [Int64] = [], frames: [Int64] = []
        for node in plan.nodes {
            if case .stem(let s) = node.kind { offsets.append(s.offset); frames.append(s.frames) }
        }
        // Bar 3 in 3/4 at 90 BPM: 6 beats × 60/90 s = 4 s.
        #expect(offsets == [192_000, 2_904_000, -100])
        // 44101 × 48000 / 44100 = 48001.088… → 48001.
        #expect(frames == [48000, 48001, 48000])
        #expect(plan.length == 2_904_000 + 48001)
    }

    @Test func compileIsPure() throws {
        let text = "bounce: 1\ntracks:\n  a: { stem: a.wav, pan: L30 }\n  b: { stem: b.wav, bus: x }\nbuses:\n  x: {}\n"
        let parsed = try recipe(text)
        let first = RenderGraphCompiler.compile(parsed, stems: [mono, mono])
        let second = RenderGraphCompiler.compile(parsed, stems: [mono, mono])
        #expect(first == second)
        #expect(first.dot == second.dot && first.json == second.json)
    }
}
