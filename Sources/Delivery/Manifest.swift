import Foundation

/// `manifest.json`: every file a render wrote, measured from the file itself. No timestamps, so a re-render
/// gives the same manifest byte for byte.
public struct Manifest: Codable, Sendable {
    public struct Target: Codable, Sendable, Equatable {
        public var integratedLUFS: Double?
        public var loudnessToleranceLU: Double?
        public var truePeakCeilingDBTP: Double?

        public init(integratedLUFS: Double? = nil, loudnessToleranceLU: Double? = nil,
                    truePeakCeilingDBTP: Double? = nil) {
            self.integratedLUFS = integratedLUFS
            self.loudnessToleranceLU = loudnessToleranceLU
            self.truePeakCeilingDBTP = truePeakCeilingDBTP
        }

        enum CodingKeys: String, CodingKey {
            case integratedLUFS = "integrated_lufs", loudnessToleranceLU = "tolerance_lu"
            case truePeakCeilingDBTP = "true_peak_ceiling_dbtp"
        }
    }

    public struct Entry: Codable, Sendable {
        public var deliverable: String
        public var stem: String?
        /// Path relative to the manifest's folder.
        public var file: String
        public var sha256: String
        public var format: String
        public var sampleRate: Int
        public var bitDepth: Int?
        public var channels: Int
        public var frames: Int64
        public var durationSeconds: Double
        public var integratedLUFS: Double?
        public var loudnessRangeLU: Double
        public var truePeakDBTP: Double?
        public var samplePeakDBFS: Double?
        public var target: Target
        public var passes: Int
        public var pass: Bool
        public var problems: [String]

        public init(deliverable: String, stem: String?, file: String, sha256: String, format: String, sampleRate: Int,
                    bitDepth: Int?, channels: Int, frames: Int64, durationSeconds: Double, integratedLUFS: Double?,
                    loudnessRangeLU: Double, truePeakDBTP: Double?, samplePeakDBFS: Double?, target: Target,
                    passes: Int, pass: Bool, problems: [String]) {
            self.deliverable = deliverable
            self.stem = stem
            self.file = file
            self.sha256 = sha256
            self.format = format
            self.sampleRate = sampleRate
            self.bitDepth = bitDepth
            self.channels = channels
            self.frames = frames
            self.durationSeconds = durationSeconds
            self.integratedLUFS = integratedLUFS
            self.loudnessRangeLU = loudnessRangeLU
            self.truePeakDBTP = truePeakDBTP
            self.samplePeakDBFS = samplePeakDBFS
            self.target = target
            self.passes = passes
            self.pass = pass
            self.problems = problems
        }

        enum CodingKeys: String, CodingKey {
            case deliverable, stem, file, sha256, format, channels, frames, target, passes, pass, problems
            case sampleRate = "sample_rate", bitDepth = "bit_depth", durationSeconds = "duration_s"
            case integratedLUFS = "integrated_lufs", loudnessRangeLU = "loudness_range_lu"
            case truePeakDBTP = "true_peak_dbtp", samplePeakDBFS = "sample_peak_dbfs"
        }
    }

    public var bounceVersion: String
    public var recipe: String
    public var recipeSHA256: String
    public var files: [Entry]

    enum CodingKeys: String, CodingKey {
        case bounceVersion = "bounce_version", recipe, recipeSHA256 = "recipe_sha256", files
    }

    public init(bounceVersion: String, recipe: String, recipeSHA256: String, files: [Entry]) {
        self.bounceVersion = bounceVersion
        self.recipe = recipe
        self.recipeSHA256 = recipeSHA256
        self.files = files
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}

/// Writes small text files (manifest, cue sheet) the same atomic way as audio: temp file, then rename.
public func writeAtomically(_ data: Data, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).bounce-tmp-\(getpid())")
    try data.write(to: temporary)
    guard rename(temporary.path, url.path) == 0 else {
        unlink(temporary.path)
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
}
