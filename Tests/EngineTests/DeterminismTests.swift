import BounceKit
import Foundation
import Testing
import TestSupport

/// Same recipe, same bytes: across runs and across block sizes (including a resampled stem, whose converter is
/// fed in fixed chunks whatever the block size).
@Suite struct DeterminismTests {
    static func session() throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        try TestAudio.write([TestAudio.sine(frequency: 220, sampleRate: 44100, frames: 30000, amplitude: 0.4)],
                            to: folder.file("resampled.flac"), sampleRate: 44100, format: .init(.flac, .pcm24))
        try TestAudio.write([TestAudio.noise(frames: 20000, seed: 9), TestAudio.noise(frames: 20000, seed: 10)],
                            to: folder.file("noise.wav"), sampleRate: 48000, format: .init(.wav, .pcm16))
        try TestAudio.write([TestAudio.sine(frequency: 3000, sampleRate: 96000, frames: 50000)],
                            to: folder.file("hi.wav"), sampleRate: 96000)
        folder.write("""
            bounce: 1
            title: Determinism
            session: { sample_rate: 48000 }
            tracks:
              slow: { stem: resampled.flac, pan: L20, bus: group, sends: { verb: -8 dB } }
              noise: { stem: noise.wav, gain: -4 dB, offset: 0.01 s, sends: { verb: { level: -3 dB, pre: true } } }
              hi: { stem: hi.wav, offset: "777 smp", bus: group }
              lsr: { stem: resampled.flac, gain: -20 dB }
            buses:
              group: { gain: -1 dB, pan: R10 }
              verb: { gain: -6 dB, bus: group }
            """, to: "det.yaml")
        folder.write(try String(contentsOf: folder.file("det.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "session: { sample_rate: 48000 }",
                                  with: "session: { sample_rate: 48000, resampler: libsamplerate }"),
                     to: "det-lsr.yaml")
        return folder
    }

    func render(_ recipe: URL, blockSize: Int) throws -> Data {
        let out = TemporaryDirectory()
        let result = try Bounce.render(recipePath: recipe.path, options: RenderOptions(blockSize: blockSize, outDirectory: out.url))
        return try Data(contentsOf: result.files[0].url)
    }

    @Test(arguments: ["det.yaml", "det-lsr.yaml"])
    func blockSizesGiveIdenticalBytes(recipe: String) throws {
        let folder = try Self.session()
        let reference = try render(folder.file(recipe), blockSize: 4096)
        #expect(reference.count > 100_000)
        for size in [1, 64, 8193, 1000, 4096] {
            #expect(try render(folder.file(recipe), blockSize: size) == reference, "block size \(size)")
        }
    }

    @Test func repeatedRendersGiveIdenticalBytes() throws {
        let folder = try Self.session()
        let first = try render(folder.file("det.yaml"), blockSize: 1024)
        let second = try render(folder.file("det.yaml"), blockSize: 1024)
        #expect(first == second)
    }
}
