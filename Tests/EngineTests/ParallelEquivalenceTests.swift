import BounceKit
import Engine
import Foundation
import Testing
import TestSupport

/// The determinism contract: for random recipes (random routing DAGs, sends, stems at several rates and channel
/// counts), every thread count 1…8 and random block sizes give the same bits as the serial reference.
@Suite struct ParallelEquivalenceTests {
    /// A small deterministic generator (the system RNG is seeded randomly per process).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    }

    static let stems: TemporaryDirectory = {
        let folder = TemporaryDirectory("parallel-stems")
        let specs: [(String, Int, Int, Int)] = [  // name, channels, rate, frames
            ("m48.wav", 1, 48000, 20000), ("s48.flac", 2, 48000, 15000), ("m44.wav", 1, 44100, 18000),
            ("s96.wav", 2, 96000, 30000), ("m22.aiff", 1, 22050, 9000), ("s44.flac", 2, 44100, 12000),
        ]
        for (index, (name, channels, rate, frames)) in specs.enumerated() {
            let data = (0..<channels).map { c in
                zip(TestAudio.noise(frames: frames, amplitude: 0.1, seed: UInt64(index * 2 + c)),
                    TestAudio.sine(frequency: Double(110 * (index + 1)), sampleRate: rate, frames: frames, amplitude: 0.2))
                    .map { $0 + $1 }
            }
            let format: AudioFileFormat = name.hasSuffix(".flac") ? .init(.flac, .pcm24)
                : name.hasSuffix(".aiff") ? .init(.aiff, .pcm16) : .init(.wav, .float32)
            try! TestAudio.write(data, to: folder.file(name), sampleRate: rate, format: format)
        }
        return folder
    }()

    /// A random, valid recipe: buses form a DAG (each feeds only buses later in a hidden order, declared shuffled).
    static func randomRecipe(seed: UInt64) -> String {
        var g = Generator(state: seed)
        let stemNames = ["m48.wav", "s48.flac", "m44.wav", "s96.wav", "m22.aiff", "s44.flac"]
        let busCount = g.int(0...6)
        let rank = (0..<busCount).map { "bus\($0)" }  // topological rank: bus i may feed bus j > i only
        var lines = ["bounce: 1", "title: Random \(seed)", "session:", "  stems: \(stems.url.path)",
                     "  resampler: \(g.chance(0.5) ? "soxr" : "libsamplerate")", "tracks:"]
        func destination(above rankIndex: Int) -> String {
            let choices = rankIndex + 1 < busCount ? Array(rank[(rankIndex + 1)...]) : []
            return choices.isEmpty || g.chance(0.3) ? "master" : choices[g.int(0...(choices.count - 1))]
        }
        func sends(above rankIndex: Int) -> String {
            let choices = rankIndex + 1 < busCount ? Array(rank[(rankIndex + 1)...]) : []
            var parts: [String] = []
            for bus in choices where g.chance(0.3) {
                parts.append(g.chance(0.5) ? "\(bus): \(-g.int(0...20)) dB" : "\(bus): { level: \(-g.int(0...20)) dB, pre: true }")
            }
            return parts.isEmpty ? "" : ", sends: { \(parts.joined(separator: ", ")) }"
        }
        for t in 0..<g.int(2...10) {
            let stem = stemNames[g.int(0...5)]
            let offset = g.chance(0.5) ? ", offset: \"\(g.int(-3000...20000)) smp\"" : ""
            let mute = g.chance(0.1) ? ", mute: true" : ""
            lines.append("  t\(t): { stem: \(stem), gain: \(-g.int(0...12)) dB, pan: \(Double(g.int(-100...100)) / 100)"
                         + "\(offset)\(mute), bus: \(destination(above: -1))\(sends(above: -1)) }")
        }
        if busCount > 0 {
            lines.append("buses:")
            var order = Array(0..<busCount)
            for i in stride(from: busCount - 1, to: 0, by: -1) { order.swapAt(i, g.int(0...i)) }
            for i in order {
                lines.append("  \(rank[i]): { gain: \(-g.int(0...6)) dB, pan: \(Double(g.int(-100...100)) / 100), "
                             + "bus: \(destination(above: i))\(sends(above: i)) }")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func renderBits(_ prepared: Bounce.Prepared, blockSize: Int, jobs: Int) throws -> [UInt32] {
        let renderer = try OfflineRenderer(plan: prepared.plan, blockSize: blockSize, jobs: jobs)
        var bits: [UInt32] = []
        _ = try renderer.render { _, buffer, first, frames in
            for i in first..<(first + frames) {
                bits.append(buffer[0][i].bitPattern)
                bits.append(buffer[1][i].bitPattern)
            }
        }
        return bits
    }

    @Test(arguments: 1...12)
    func randomRecipeMatchesSerial(seed: Int) throws {
        let folder = TemporaryDirectory()
        let path = folder.write(Self.randomRecipe(seed: UInt64(seed)), to: "random.yaml")
        let prepared = try Bounce.prepare(recipePath: path)
        let reference = try renderBits(prepared, blockSize: 4096, jobs: 1)
        var g = Generator(state: UInt64(seed) &* 31)
        for jobs in 1...8 {
            let blockSize = [1, 7, 64, 65, 512, 1000, 8193][g.int(0...6)]
            let bits = try renderBits(prepared, blockSize: blockSize, jobs: jobs)
            #expect(bits == reference, "jobs \(jobs), block \(blockSize), recipe:\n\(Self.randomRecipe(seed: UInt64(seed)))")
        }
    }

    /// The files themselves: --jobs 1 and --jobs 8 write identical bytes.
    @Test func filesAreIdenticalAcrossJobs() throws {
        let folder = TemporaryDirectory()
        let path = folder.write(Self.randomRecipe(seed: 99), to: "random.yaml")
        var files: [Data] = []
        for jobs in [1, 2, 8] {
            let out = TemporaryDirectory()
            let result = try Bounce.render(recipePath: path, options: RenderOptions(blockSize: 333, outDirectory: out.url, jobs: jobs))
            files.append(try Data(contentsOf: result.files[0].url))
        }
        #expect(files[0] == files[1] && files[1] == files[2])
    }
}
