import AudioIO
import Foundation
import Testing
import TestSupport

@Suite("bounce analyze (command line)")
struct AnalyzeCommandTests {
    static let keys = ["bit_depth", "channels", "duration_s", "file", "format", "integrated_lufs", "loudness_range_lu",
                       "momentary_max_lufs", "sample_peak_dbfs", "sample_rate", "short_term_max_lufs", "true_peak_dbtp"]

    @Test("--json: one sorted JSON object per file and line; a missing file fails alone, named on stderr")
    func jsonLines() throws {
        let folder = TemporaryDirectory("bounce-analyze-cli")
        let tone = EBUSignals.tone([.init(-23, 5)], sampleRate: 48_000)
        let stereo = folder.file("tone.wav"), mono = folder.file("mono.flac"), silent = folder.file("silent.wav")
        try TestAudio.write([tone, tone], to: stereo, sampleRate: 48_000)
        try TestAudio.write([tone], to: mono, sampleRate: 48_000, format: AudioFileFormat(.flac, .pcm16))
        try TestAudio.write([[Float](repeating: 0, count: 48_000)], to: silent, sampleRate: 48_000)
        let missing = folder.file("missing.wav").path
        let result = try CommandLineTool.run(["analyze", "--json", stereo.path, missing, mono.path, silent.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing.wav") && result.stderr.contains("not found"))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        for (line, object) in zip(lines, objects) {
            #expect(object.keys.sorted() == Self.keys)
            let positions = Self.keys.map { line.range(of: "\"\($0)\":")!.lowerBound }
            #expect(positions == positions.sorted(), "keys in sorted order")
        }
        let (first, second, third) = (objects[0], objects[1], objects[2])
        #expect(first["file"] as? String == stereo.path)
        #expect(abs((first["integrated_lufs"] as? Double ?? 0) + 23) <= 0.1)
        #expect(abs((first["short_term_max_lufs"] as? Double ?? 0) + 23) <= 0.1)
        #expect(abs((first["duration_s"] as? Double ?? 0) - 5) < 1e-9)
        #expect(first["sample_rate"] as? Int == 48_000 && first["channels"] as? Int == 2)
        #expect(first["bit_depth"] as? Int == 32 && first["format"] as? String == "WAV 32-bit float")
        #expect(abs((second["integrated_lufs"] as? Double ?? 0) + 26) <= 0.1, "mono reads 3 LU lower")
        #expect(second["bit_depth"] as? Int == 16 && second["format"] as? String == "FLAC 16-bit")
        #expect(third["integrated_lufs"] is NSNull && third["true_peak_dbtp"] is NSNull)
    }

    @Test("text: one block per file with every measure")
    func text() throws {
        let folder = TemporaryDirectory("bounce-analyze-cli")
        let tone = EBUSignals.tone([.init(-20, 4)], sampleRate: 44_100)
        let url = folder.file("tone.aiff")
        try TestAudio.write([tone, tone], to: url, sampleRate: 44_100, format: AudioFileFormat(.aiff, .pcm24))
        let result = try CommandLineTool.run(["analyze", url.path, url.path])
        #expect(result.status == 0 && result.stderr.isEmpty)
        let blocks = result.stdout.components(separatedBy: "\n\n")
        #expect(blocks.count == 2)
        let rows = Dictionary(uniqueKeysWithValues: blocks[0].split(separator: "\n").dropFirst().map { line in
            (line.prefix(18).trimmingCharacters(in: .whitespaces), String(line.dropFirst(18)))
        })
        #expect(rows.keys.sorted() == ["bit depth", "channels", "duration", "format", "integrated", "loudness range",
                                       "momentary max", "sample peak", "sample rate", "short-term max", "true peak"])
        for (label, unit) in [("integrated", "LUFS"), ("momentary max", "LUFS"), ("short-term max", "LUFS"),
                              ("sample peak", "dBFS"), ("true peak", "dBTP")] {
            let parts = rows[label]?.split(separator: " ") ?? []
            #expect(parts.count == 2 && parts[1] == unit && abs((Double(parts[0]) ?? 0) + 20) <= 0.1, "\(label): \(parts)")
        }
        #expect(rows["loudness range"] == "0.00 LU" && rows["duration"] == "4.000 s")
        #expect(rows["sample rate"] == "44100 Hz" && rows["channels"] == "2" && rows["bit depth"] == "24")
        #expect(rows["format"] == "AIFF 24-bit")
        #expect(blocks[0].hasPrefix(url.path + "\n"))
    }
}
