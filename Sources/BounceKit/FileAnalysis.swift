import AudioIO
import Foundation
import Loudness

/// What `bounce analyze` reports about one audio file: its format and its loudness (`LoudnessMeasurement`).
public struct FileAnalysis: Sendable, Codable, Equatable {
    /// The path as given.
    public var file: String
    public var sampleRate: Int
    public var channels: Int
    /// 16/24/32 for PCM, 32 for float, nil for lossy codecs.
    public var bitDepth: Int?
    /// A short description such as "WAV 24-bit" or "FLAC 16-bit".
    public var format: String
    public var durationSeconds: Double
    /// Frames actually decoded (the header's count is only an estimate for MP3).
    public var frames: Int64
    public var loudness: LoudnessMeasurement

    /// Frames decoded and measured per read: 1 s at 48 kHz. Any size gives the same numbers (the meter cuts its
    /// input on its own fixed grid); this only bounds memory.
    static let blockFrames = 48_000

    /// Decodes `path` block by block (never whole) and measures it.
    public static func analyze(path: String) throws(AudioIOError) -> FileAnalysis {
        let reader = try AudioFileReader(path: path)
        defer { reader.close() }
        let meter: LoudnessMeter
        do {
            meter = try LoudnessMeter(channels: reader.channels, sampleRate: reader.sampleRate)
        } catch {
            throw AudioIOError(path: path, error.description)
        }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: blockFrames * reader.channels)
        defer { buffer.deallocate() }
        var frames: Int64 = 0
        while true {
            let count = try reader.read(into: buffer, frames: blockFrames)
            if count == 0 { break }
            meter.add(interleaved: buffer, frames: count)
            frames += Int64(count)
        }
        guard frames > 0 else { throw AudioIOError(path: path, "contains no audio (0 frames decoded)") }
        return FileAnalysis(file: path, sampleRate: reader.sampleRate, channels: reader.channels,
                            bitDepth: reader.bitDepth, format: reader.formatDescription,
                            durationSeconds: Double(frames) / Double(reader.sampleRate), frames: frames,
                            loudness: meter.measurement())
    }

    /// One line of JSON (JSON Lines) with snake_case keys in sorted order; −∞ levels are written as `null`.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain numbers, strings and nulls cannot fail.
        let data = try! encoder.encode(JSONLine(self))
        return String(decoding: data, as: UTF8.self)
    }

    /// The flat `--json` shape; its keys are a stable interface for scripts.
    private struct JSONLine: Encodable {
        let analysis: FileAnalysis
        init(_ analysis: FileAnalysis) { self.analysis = analysis }

        enum CodingKeys: String, CodingKey {
            case file, integratedLUFS = "integrated_lufs", loudnessRangeLU = "loudness_range_lu"
            case truePeakDBTP = "true_peak_dbtp", samplePeakDBFS = "sample_peak_dbfs"
            case momentaryMaxLUFS = "momentary_max_lufs", shortTermMaxLUFS = "short_term_max_lufs"
            case durationSeconds = "duration_s", sampleRate = "sample_rate", channels, bitDepth = "bit_depth", format
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            let loudness = analysis.loudness
            func level(_ value: Double, _ key: CodingKeys) throws {
                if value.isFinite { try container.encode(value, forKey: key) } else { try container.encodeNil(forKey: key) }
            }
            try container.encode(analysis.file, forKey: .file)
            try level(loudness.integratedLUFS, .integratedLUFS)
            try level(loudness.loudnessRangeLU, .loudnessRangeLU)
            try level(loudness.truePeakDBTP, .truePeakDBTP)
            try level(loudness.samplePeakDBFS, .samplePeakDBFS)
            try level(loudness.momentaryMaxLUFS, .momentaryMaxLUFS)
            try level(loudness.shortTermMaxLUFS, .shortTermMaxLUFS)
            try container.encode(analysis.durationSeconds, forKey: .durationSeconds)
            try container.encode(analysis.sampleRate, forKey: .sampleRate)
            try container.encode(analysis.channels, forKey: .channels)
            if let bitDepth = analysis.bitDepth {
                try container.encode(bitDepth, forKey: .bitDepth)
            } else {
                try container.encodeNil(forKey: .bitDepth)
            }
            try container.encode(analysis.format, forKey: .format)
        }
    }
}

extension Bounce {
    /// Format and loudness of an audio file (`bounce analyze`). See `FileAnalysis.analyze(path:)`.
    public static func analyze(path: String) throws(AudioIOError) -> FileAnalysis {
        try FileAnalysis.analyze(path: path)
    }
}
