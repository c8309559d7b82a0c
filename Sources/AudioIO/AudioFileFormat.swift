import CSndFile

/// Container and sample encoding of a file Bounce writes.
public struct AudioFileFormat: Sendable, Equatable, CustomStringConvertible {
    public enum Container: String, Sendable, Equatable, CaseIterable { case wav, flac, aiff, mp3, opus }
    public enum Encoding: String, Sendable, Equatable, CaseIterable {
        case pcm16 = "16", pcm24 = "24", float32 = "32f"

        public var bitDepth: Int {
            switch self {
            case .pcm16: return 16
            case .pcm24: return 24
            case .float32: return 32
            }
        }
    }

    public var container: Container
    /// The sample encoding; lossy containers (MP3, Opus) take float input and ignore it.
    public var encoding: Encoding
    /// Constant bitrate for lossy containers, kbit/s; 0 = variable bitrate at the highest quality.
    public var bitrate: Int

    public init(_ container: Container, _ encoding: Encoding, bitrate: Int = 320) {
        self.container = container
        self.encoding = encoding
        self.bitrate = bitrate
    }

    public var isLossy: Bool { container == .mp3 || container == .opus }

    public var fileExtension: String {
        switch container {
        case .wav: return "wav"
        case .flac: return "flac"
        case .aiff: return "aiff"
        case .mp3: return "mp3"
        case .opus: return "opus"
        }
    }

    public var description: String {
        isLossy ? (bitrate == 0 ? "\(container.rawValue.uppercased()) VBR"
                   : "\(container.rawValue.uppercased()) \(bitrate) kbps CBR")
            : "\(container.rawValue.uppercased()) \(encoding.rawValue)-bit"
    }

    /// Whether libsndfile can store this combination (FLAC has no float encoding).
    public var isSupported: Bool { !(container == .flac && encoding == .float32) }

    var sndfileFormat: Int32 {
        let major: Int32
        switch container {
        case .wav: major = Int32(SF_FORMAT_WAV)
        case .flac: major = Int32(SF_FORMAT_FLAC)
        case .aiff: major = Int32(SF_FORMAT_AIFF)
        case .mp3: return Int32(SF_FORMAT_MPEG) | Int32(SF_FORMAT_MPEG_LAYER_III)
        case .opus: return Int32(SF_FORMAT_OGG) | Int32(SF_FORMAT_OPUS)
        }
        let minor: Int32
        switch encoding {
        case .pcm16: minor = Int32(SF_FORMAT_PCM_16)
        case .pcm24: minor = Int32(SF_FORMAT_PCM_24)
        case .float32: minor = Int32(SF_FORMAT_FLOAT)
        }
        return major | minor
    }

    /// Bits per sample of a libsndfile format code's PCM or float encoding; nil for lossy and companded codecs.
    static func bitDepth(_ format: Int32) -> Int? {
        switch format & Int32(SF_FORMAT_SUBMASK) {
        case Int32(SF_FORMAT_PCM_S8), Int32(SF_FORMAT_PCM_U8): return 8
        case Int32(SF_FORMAT_PCM_16), Int32(SF_FORMAT_ALAC_16): return 16
        case Int32(SF_FORMAT_ALAC_20): return 20
        case Int32(SF_FORMAT_PCM_24), Int32(SF_FORMAT_ALAC_24): return 24
        case Int32(SF_FORMAT_PCM_32), Int32(SF_FORMAT_FLOAT), Int32(SF_FORMAT_ALAC_32): return 32
        case Int32(SF_FORMAT_DOUBLE): return 64
        default: return nil
        }
    }

    /// Human-readable name of a libsndfile format code, for messages and `analyze`.
    static func describe(_ format: Int32) -> String {
        let major: String
        switch format & Int32(SF_FORMAT_TYPEMASK) {
        case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX): major = "WAV"
        case Int32(SF_FORMAT_RF64): major = "RF64"
        case Int32(SF_FORMAT_AIFF): major = "AIFF"
        case Int32(SF_FORMAT_FLAC): major = "FLAC"
        case Int32(SF_FORMAT_OGG): major = "Ogg"
        case Int32(SF_FORMAT_MPEG): major = "MP3"
        case Int32(SF_FORMAT_W64): major = "W64"
        case Int32(SF_FORMAT_CAF): major = "CAF"
        default: major = "audio"
        }
        let minor: String
        switch format & Int32(SF_FORMAT_SUBMASK) {
        case Int32(SF_FORMAT_PCM_S8), Int32(SF_FORMAT_PCM_U8): minor = " 8-bit"
        case Int32(SF_FORMAT_PCM_16): minor = " 16-bit"
        case Int32(SF_FORMAT_PCM_24): minor = " 24-bit"
        case Int32(SF_FORMAT_PCM_32): minor = " 32-bit"
        case Int32(SF_FORMAT_FLOAT): minor = " 32-bit float"
        case Int32(SF_FORMAT_DOUBLE): minor = " 64-bit float"
        case Int32(SF_FORMAT_VORBIS): minor = " Vorbis"
        case Int32(SF_FORMAT_OPUS): minor = " Opus"
        default: minor = ""
        }
        return major + minor
    }
}
