import BounceKit
import Engine
import Foundation
import Testing
import TestSupport

/// The determinism contract: for random recipes (random routing DAGs, sends, sidechain keys, inserts with latency,
/// stems at several rates and channel counts), every thread count 1…8 and random block sizes give the same bits as the serial reference.
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
        let trackCount = g.int(2...10)
        // Inserts with latency (look-ahead, trims) and sidechain keys from earlier tracks: reads that are not
        // part of a strip's input sum, which the parallel scheduler must order too.
        func inserts(keys: Int) -> String {
            var parts: [String] = []
            if g.chance(0.3) { parts.append("{ trim: \(g.int(1...300)) smp }") }
            if g.chance(0.3) {
                let key = keys > 0 && g.chance(0.7) ? ", sidechain: t\(g.int(0...(keys - 1)))" : ""
                parts.append("{ compressor: { threshold: -\(g.int(10...30)) dB, ratio: 4, lookahead: \(g.int(0...3)) ms\(key) } }")
            }
            if g.chance(0.2) { parts.append("{ limiter: { ceiling: -\(g.int(1...6)) dBTP } }") }
            return parts.isEmpty ? "" : ", inserts: [ \(parts.joined(separator: ", ")) ]"
        }
        for t in 0..<trackCount {
            let stem = stemNames[g.int(0...5)]
            let offset = g.chance(0.5) ? ", offset: \"\(g.int(-3000...20000)) smp\"" : ""
            let mute = g.chance(0.1) ? ", mute: true" : ""
            lines.append("  t\(t): { stem: \(stem), gain: \(-g.int(0...12)) dB, pan: \(Double(g.int(-100...100)) / 100)"
                         + "\(offset)\(mute), bus: \(destination(above: -1))\(sends(above: -1))\(inserts(keys: t)) }")
        }
        if busCount > 0 {
            lines.append("buses:")
            var order = Array(0..<busCount)
            for i in stride(from: busCount - 1, to: 0, by: -1) { order.swapAt(i, g.int(0...i)) }
            for i in order {
                lines.append("  \(rank[i]): { gain: \(-g.int(0...6)) dB, pan: \(Double(g.int(-100...100)) / 100), "
                             + "bus: \(destination(above: i))\(sends(above: i))\(inserts(keys: trackCount)) }")
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
            // Compared as a Bool: a failure names the first differing sample instead of printing every sample.
            let firstDifference = (0..<min(bits.count, reference.count)).first(where: { bits[$0] != reference[$0] }) ?? min(bits.count, reference.count)
            let same = bits.count == reference.count && firstDifference == bits.count
            #expect(same, "jobs \(jobs), block \(blockSize): first difference at sample \(firstDifference / 2) of \(reference.count / 2), recipe:\n\(Self.randomRecipe(seed: UInt64(seed)))")
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

/// A stem that stops decoding mid-render stops the render with the same error at any thread count: the first
/// failing block's first failure in plan order, not whichever thread hit its failure first.
@Suite struct ParallelFailureTests {
    @Test func truncatedStemsFailTheSameWayAtEveryJobCount() throws {
        let folder = TemporaryDirectory()
        for (name, keep) in [("late.flac", 0.6), ("early.flac", 0.3)] {
            let frames = 96_000
            let data = (0..<2).map { c in TestAudio.noise(frames: frames, amplitude: 0.3, seed: UInt64(c + name.count)) }
            try TestAudio.write(data, to: folder.file(name), sampleRate: 48000, format: .init(.flac, .pcm24))
            let bytes = try Data(contentsOf: folder.file(name))
            try bytes.prefix(Int(Double(bytes.count) * keep)).write(to: folder.file(name))
        }
        // `late` comes first in plan order but fails at a later block than `early`.
        let path = folder.write("""
            bounce: 1
            tracks:
              late: { stem: late.flac }
              early: { stem: early.flac, bus: room }
            buses:
              room: { inserts: [ { compressor: { threshold: -20 dB, ratio: 3, sidechain: late } } ] }
            """, to: "broken.yaml")
        let prepared = try Bounce.prepare(recipePath: path)
        var messages: [String] = []
        for jobs in [1, 2, 4] {
            for blockSize in [500, 4096] {
                let renderer = try OfflineRenderer(plan: prepared.plan, blockSize: blockSize, jobs: jobs)
                do {
                    _ = try renderer.render { _, _, _, _ in }
                    Issue.record("jobs \(jobs): the render did not fail")
                } catch {
                    messages.append("\(error)")
                }
            }
        }
        #expect(messages.count == 6 && Set(messages).count == 1, "\(messages)")
        #expect(messages.first?.contains("early.flac") == true, "\(messages)")
    }
}
