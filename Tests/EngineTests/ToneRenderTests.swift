import BounceKit
import DSP
import Engine
import Foundation
import RenderGraph
import Testing
import TestSupport

/// eq, width, mono_below and saturate end to end: the compiled configurations, saturate's latency compensated by
/// the graph, and the stereo processors running on mono tracks (the chain is duplicated to two channels first).
@Suite struct ToneRenderTests {
    let folder = TemporaryDirectory()
    let tone = TestAudio.sine(frequency: 220, sampleRate: 48000, frames: 9600, amplitude: 0.4)
    let noise = TestAudio.noise(frames: 9600, amplitude: 0.3, seed: 5)

    init() throws {
        try TestAudio.write([tone], to: folder.file("tone.wav"), sampleRate: 48000)
        try TestAudio.write([noise], to: folder.file("noise.wav"), sampleRate: 48000)
    }

    func render(_ yaml: String, name: String) throws -> (plan: RenderPlan, audio: [[Float]]) {
        let path = folder.write(yaml, to: name)
        let prepared = try Bounce.prepare(recipePath: path)
        let renderer = try OfflineRenderer(plan: prepared.plan, blockSize: 1000)
        var audio: [[Float]] = [[], []]
        _ = try renderer.render { _, buffer, first, frames in
            for c in 0..<2 { audio[c] += UnsafeBufferPointer(start: buffer[c] + first, count: frames) }
        }
        return (prepared.plan, audio)
    }

    func strip(_ plan: RenderPlan, _ name: String) -> ChannelStrip? {
        guard case .strip(let strip)? = plan.nodes.first(where: { $0.name == name })?.kind else { return nil }
        return strip
    }

    @Test func recipeInsertsCompileToConfigurations() throws {
        let (plan, _) = try render("""
            bounce: 1
            tracks:
              a:
                stem: tone.wav
                inserts:
                  - eq: [ { type: peak, freq: 60 Hz, gain: +3 dB, q: 1.2 }, { type: highshelf, freq: 8 kHz, gain: -2 dB } ]
                  - highpass: { freq: 30 Hz, slope: 24 }
                  - lowpass: 18 kHz
                  - eq: { bands: [ { type: lowshelf, freq: 100 Hz, gain: 1 dB, slope: 0.5 } ], bypass: true }
                  - saturate: { drive: 9 dB, mix: 50%, type: tube }
              b:
                stem: noise.wav
                inserts: [ { mono_below: 150 Hz }, { width: 1.5 } ]
            """, name: "compile.yaml")
        let a = try #require(strip(plan, "a")), b = try #require(strip(plan, "b"))
        #expect(a.inserts.map(\.configuration) == [
            .eq(bands: [EQBand(.peak, frequency: 60, gain: 3, q: 1.2), EQBand(.highshelf, frequency: 8000, gain: -2)]),
            .eq(bands: [EQBand(.highpass, frequency: 30, slope: 24)]),
            .eq(bands: [EQBand(.lowpass, frequency: 18000, slope: 12)]),
            .saturate(SaturateParameters(drive: 9, mix: 0.5, type: .tube)),
        ])
        #expect(a.processingChannels == 1)
        #expect(a.inserts.last?.latency == 46)
        #expect(b.inserts.map(\.configuration) == [.monoBelow(hertz: 150), .width(1.5)])
        #expect(b.processingChannels == 2)
    }

    /// A track through `saturate` at mix 0 (the latency-aligned dry signal) against the same stem inverted on
    /// another track: the graph delays the second by saturate's 46 samples, so the mix is exactly silent.
    @Test func saturateLatencyIsCompensated() throws {
        let (plan, audio) = try render("""
            bounce: 1
            tracks:
              wet: { stem: tone.wav, inserts: [ { saturate: { drive: 12 dB, mix: 0% } } ] }
              dry: { stem: tone.wav, inserts: [ polarity ] }
            """, name: "latency.yaml")
        #expect(plan.latency == 46)
        #expect(plan.length == 9600 + 46)  // the declared tail (the oversampler's ring) bounds the render…
        #expect(audio[0].count == 9600)    // …and, the null being silent, the automatic tail ends with the music
        #expect(audio.allSatisfy { $0.allSatisfy { $0 == 0 } })
    }

    /// On a mono track, width and mono_below see the stem on two equal channels: width changes nothing (bit for
    /// bit against the track without it) and mono_below leaves both sides equal (allpassed, same energy).
    @Test func stereoProcessorsOnAMonoTrack() throws {
        let (_, plain) = try render("""
            bounce: 1
            tracks:
              n: { stem: noise.wav }
            """, name: "plain.yaml")
        let (_, widened) = try render("""
            bounce: 1
            tracks:
              n: { stem: noise.wav, inserts: [ { width: 2 } ] }
            """, name: "width.yaml")
        #expect(widened == plain)
        let (_, mono) = try render("""
            bounce: 1
            tracks:
              n: { stem: noise.wav, inserts: [ { mono_below: 200 Hz } ] }
            """, name: "mono.yaml")
        #expect(mono[0] == mono[1])
        func energy(_ x: [Float]) -> Double { x.reduce(0) { $0 + Double($1) * Double($1) } }
        #expect(abs(10 * log10(energy(mono[0]) / energy(plain[0]))) < 0.05)
    }
}
