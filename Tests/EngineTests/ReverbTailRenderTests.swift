import BounceKit
import DSP
import Engine
import Foundation
import RenderGraph
import Testing
import TestSupport

/// Reverb tails end to end: a short stem feeds a send bus with a reverb; the render continues for the declared
/// tail after the stem ends, the tail is audible right after the stem and decays. Convolution IRs are probed at
/// prepare time (problems reported at `ir:`), loaded and resampled by the engine, and their latency compensated.
@Suite struct ReverbTailRenderTests {
    let folder = TemporaryDirectory()
    /// 0.25 s of noise: the "stem".
    let hit = TestAudio.noise(frames: 12000, amplitude: 0.5, seed: 11)

    init() throws {
        try TestAudio.write([hit], to: folder.file("hit.wav"), sampleRate: 48000)
        // A 0.5 s stereo IR recorded at 44.1 kHz (resampled to 48 kHz by the engine): decaying noise.
        let ir = (0..<2).map { c in
            TestAudio.noise(frames: 22050, amplitude: 0.3, seed: UInt64(40 + c)).enumerated()
                .map { $0.element * Float(exp(-9.0 * Double($0.offset) / 22050)) }
        }
        try TestAudio.write(ir, to: folder.file("ir.wav"), sampleRate: 44100)
    }

    func recipe(_ insert: String, name: String = "tail.yaml") -> String {
        folder.write("""
            bounce: 1
            title: Tail
            tracks:
              hit: { stem: hit.wav, sends: { room: -6 dB } }
            buses:
              room: { inserts: [ \(insert) ] }
            """, to: name)
    }

    func render(_ path: String) throws -> (plan: RenderPlan, audio: [[Float]]) {
        let prepared = try Bounce.prepare(recipePath: path)
        let renderer = try OfflineRenderer(plan: prepared.plan, blockSize: 1000)
        var audio: [[Float]] = [[], []]
        _ = try renderer.render { _, buffer, first, frames in
            for c in 0..<2 { audio[c] += UnsafeBufferPointer(start: buffer[c] + first, count: frames) }
        }
        return (prepared.plan, audio)
    }

    func rmsDB(_ audio: [[Float]], _ range: Range<Int>) -> Double {
        let energy = audio.reduce(0.0) { total, channel in
            total + channel[range].reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        return 10 * log10(energy / Double(2 * range.count))
    }

    /// The tail is non-silent right after the stem and falls steadily, window after window.
    func expectDecayingTail(_ audio: [[Float]], from end: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let window = 2400  // 50 ms
        let levels = stride(from: end, to: audio[0].count - window, by: window).map { rmsDB(audio, $0..<($0 + window)) }
        #expect(levels[0] > -40, "first 50 ms after the stem: \(levels[0]) dBFS", sourceLocation: sourceLocation)
        for (a, b) in zip(levels, levels.dropFirst()) where a > -100 {
            #expect(b < a, "the tail must decay: \(levels)", sourceLocation: sourceLocation)
        }
        #expect(levels.last! < levels[0] - 40, "the tail ends far below its start: \(levels)",
                sourceLocation: sourceLocation)
    }

    @Test func algorithmicReverbTailExtendsTheRender() throws {
        let parameters = ReverbParameters(decay: 0.6, predelay: 0.01, size: 0.5, damping: 0.4, width: 1, mix: 1)
        let path = recipe("{ reverb: { decay: 0.6 s, predelay: 10 ms } }")
        let (plan, audio) = try render(path)
        let tail = ReverbDesign.tail(parameters, sampleRate: 48000)
        #expect(plan.length == Int64(12000 + tail), "the declared tail bounds the render")
        // The automatic tail ends where the output falls below −90 dBFS, before the declared bound.
        #expect(audio[0].count > 12000 + tail / 3 && audio[0].count <= 12000 + tail)
        let threshold = Float(pow(10, -90.0 / 20))
        // The cut is at the last sample above −90 dBFS: the file's final frame is still above it on some channel.
        #expect(audio.contains { abs($0.last!) > threshold })
        expectDecayingTail(audio, from: 12000)

        // The written file has the same length.
        let out = TemporaryDirectory()
        let result = try Bounce.render(recipePath: path, options: RenderOptions(outDirectory: out.url))
        #expect(result.files.first?.frames == Int64(audio[0].count))
    }

    @Test func convolutionReverbTailExtendsTheRender() throws {
        let (plan, audio) = try render(recipe("{ reverb: { ir: ir.wav } }"))
        // 22050 frames at 44.1 kHz are 24000 at 48 kHz; no predelay by default with an IR.
        #expect(plan.length == 12000 + 24000)
        #expect(plan.latency == ConvolutionReverbParameters.partitionSize)
        #expect(audio[0].count > 30000 && audio[0].count <= 36000, "cut below −90 dBFS within the IR's length")
        expectDecayingTail(audio, from: 12000)
    }

    /// Latency honesty end to end: with mix 0 the convolution bus passes its input one partition late, the graph
    /// delays the dry path to match, and the mix equals the same session without the reverb, bit for bit.
    @Test func convolutionLatencyIsCompensated() throws {
        let (_, withReverb) = try render(recipe("{ reverb: { ir: ir.wav, mix: 0 } }"))
        let (_, without) = try render(recipe("{ gain: 0 dB }", name: "plain.yaml"))
        #expect(without[0].count == 12000)
        for c in 0..<2 {
            #expect(Array(withReverb[c].prefix(12000)) == without[c])
            #expect(withReverb[c].dropFirst(12000).allSatisfy { $0 == 0 })
        }
    }

    @Test func unreadableImpulseResponsesAreReportedAtTheirKey() throws {
        folder.write("not audio at all", to: "broken.wav")
        try TestAudio.write([[0.1, 0.2], [0.1, 0.2], [0.1, 0.2]], to: folder.file("three.wav"), sampleRate: 48000)
        let path = folder.write("""
            bounce: 1
            tracks:
              hit: { stem: hit.wav, sends: { a: -6 dB, b: -6 dB } }
            buses:
              a: { inserts: [ { reverb: { ir: broken.wav } } ] }
              b: { inserts: [ { reverb: { mix: 50%, ir: three.wav } } ] }
            """, to: "bad.yaml")
        let diagnostics = Bounce.check(recipePath: path).map { "\($0.location!.line):\($0.location!.column): \($0.message)" }
        let directory = folder.url.standardizedFileURL.path
        #expect(diagnostics.count == 2, "\(diagnostics)")
        #expect(diagnostics.first?.hasPrefix("5:31: impulse response \(directory)/broken.wav: not a readable audio file") == true)
        #expect(diagnostics.last == "6:41: impulse response \(directory)/three.wav has 3 channels: use a mono, stereo or "
                + "4-channel true-stereo file (L→L, L→R, R→L, R→R)")
    }
}
