import CSndFile
import Foundation

/// Writes an audio file atomically: samples go to a hidden temporary file in the destination folder, which is
/// renamed over the final name only by `commit()`. An error, `abort()`, a crash or an interruption therefore never
/// leaves a partial file under the final name (at worst a `.bounce-tmp-*` file, removed on the next abort).
///
/// Integer encodings are quantised here, not by libsndfile: x · 2^(bits−1), rounded to nearest (ties to even) and
/// clipped to the encoding's range (never wrapped), so full scale is symmetric with how files are read back
/// (libsndfile scales float→int by 2^(bits−1) − 1 but int→float by 2^(bits−1), a 0.0003 dB gain error per trip).
/// Dither, when wanted, is added by the caller before this point.
public final class AudioFileWriter: @unchecked Sendable {
    public let url: URL
    public let format: AudioFileFormat
    public let channels: Int
    public let sampleRate: Int
    public let temporaryURL: URL
    private var handle: OpaquePointer?
    public private(set) var framesWritten: Int64 = 0
    /// Samples that were beyond full scale and clipped by an integer encoding.
    public private(set) var clippedSamples = 0
    private var quantised: [Int32] = []

    /// Text metadata libsndfile can store (WAV LIST/INFO, AIFF, FLAC/Opus Vorbis comments, MP3 ID3).
    public enum Tag: Sendable, Hashable {
        case title, artist, album, date, comment, copyright, software, genre, trackNumber

        var code: Int32 {
            switch self {
            case .title: return Int32(SF_STR_TITLE)
            case .artist: return Int32(SF_STR_ARTIST)
            case .album: return Int32(SF_STR_ALBUM)
            case .date: return Int32(SF_STR_DATE)
            case .comment: return Int32(SF_STR_COMMENT)
            case .copyright: return Int32(SF_STR_COPYRIGHT)
            case .software: return Int32(SF_STR_SOFTWARE)
            case .genre: return Int32(SF_STR_GENRE)
            case .trackNumber: return Int32(SF_STR_TRACKNUMBER)
            }
        }
    }

    /// The BWF `bext` chunk's text fields (WAV only).
    public struct BroadcastInfo: Sendable {
        public var description: String
        public var originator: String
        public var originatorReference: String

        public init(description: String, originator: String, originatorReference: String) {
            self.description = description
            self.originator = originator
            self.originatorReference = originatorReference
        }
    }

    /// Copies UTF-8 text into a fixed C char array, truncated, NUL-padded.
    private static func fill<T>(_ field: inout T, _ text: String) {
        withUnsafeMutableBytes(of: &field) { bytes in
            bytes.initializeMemory(as: UInt8.self, repeating: 0)
            for (index, byte) in text.utf8.prefix(bytes.count).enumerated() { bytes[index] = byte }
        }
    }

    public init(url: URL, format: AudioFileFormat, channels: Int, sampleRate: Int,
                tags: [(Tag, String)] = [], broadcast: BroadcastInfo? = nil) throws(AudioIOError) {
        self.url = url
        self.format = format
        self.channels = channels
        self.sampleRate = sampleRate
        let folder = url.deletingLastPathComponent()
        temporaryURL = folder.appendingPathComponent(".\(url.lastPathComponent).bounce-tmp-\(getpid())")
        guard format.isSupported else { throw AudioIOError(path: url.path, "\(format) is not a supported format") }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AudioIOError(path: url.path, "cannot create folder \(folder.path): \(error.localizedDescription)")
        }
        var info = SF_INFO()
        info.channels = Int32(channels)
        info.samplerate = Int32(sampleRate)
        info.format = format.sndfileFormat
        let path = temporaryURL.path
        let opened: OpaquePointer? = SoundFileLock.withLock { sf_open(path, Int32(SFM_WRITE), &info) }
        guard let opened else {
            throw AudioIOError(path: url.path, "cannot write: \(String(cString: sf_strerror(nil)))")
        }
        handle = opened
        TemporaryFiles.shared.register(path)
        // libsndfile's PEAK chunk (float WAV/AIFF) holds the time of writing: leave it out so renders are
        // byte-identical.
        sf_command(opened, Int32(SFC_SET_ADD_PEAK_CHUNK), nil, Int32(SF_FALSE))
        if format.isLossy {
            // Constant bitrate; libsndfile maps compression level 0…1 onto its highest…lowest bitrate: 320…32 kbps
            // for MP3, and 256…6 kbps *per channel* for Opus (the recipe's bitrate is for all channels).
            // Bitrate 0 asks for variable bitrate at compression level 0 (the highest quality).
            var mode = Int32(format.bitrate == 0 ? SF_BITRATE_MODE_VARIABLE : SF_BITRATE_MODE_CONSTANT)
            sf_command(opened, Int32(SFC_SET_BITRATE_MODE), &mode, Int32(MemoryLayout<Int32>.size))
            let (highest, lowest) = format.container == .mp3 ? (320.0, 32.0) : (256.0, 6.0)
            let bitrate = format.bitrate == 0 ? highest
                : Double(format.bitrate) / (format.container == .mp3 ? 1 : Double(channels))
            var level = max(0, min(1, (highest - bitrate) / (highest - lowest)))
            sf_command(opened, Int32(SFC_SET_COMPRESSION_LEVEL), &level, Int32(MemoryLayout<Double>.size))
        }
        if format.container == .wav, let broadcast {
            var info = SF_BROADCAST_INFO()
            Self.fill(&info.description, broadcast.description)
            Self.fill(&info.originator, broadcast.originator)
            Self.fill(&info.originator_reference, broadcast.originatorReference)
            // No origination date or time: a re-render must give the same bytes.
            info.version = 1
            sf_command(opened, Int32(SFC_SET_BROADCAST_INFO), &info, Int32(MemoryLayout<SF_BROADCAST_INFO>.size))
        }
        for (tag, value) in tags where !value.isEmpty {
            sf_set_string(opened, tag.code, value)
        }
    }

    deinit { abort() }

    /// Writes interleaved frames.
    public func write(_ samples: UnsafePointer<Float>, frames: Int) throws(AudioIOError) {
        guard let handle else { throw AudioIOError(path: url.path, "write after close") }
        let written: sf_count_t
        if format.encoding == .float32 || format.isLossy {
            written = sf_writef_float(handle, samples, sf_count_t(frames))
        } else {
            let count = frames * channels
            if quantised.count < count { quantised = [Int32](repeating: 0, count: count) }
            let bits = format.encoding.bitDepth
            clippedSamples += quantised.withUnsafeMutableBufferPointer { buffer in
                Quantiser.quantise(samples, count: count, bits: bits, into: buffer.baseAddress!)
            }
            written = quantised.withUnsafeBufferPointer { sf_writef_int(handle, $0.baseAddress!, sf_count_t(frames)) }
        }
        guard written == frames else {
            let reason = String(cString: sf_strerror(handle))
            abort()
            throw AudioIOError(path: url.path, "write failed (\(reason)); nothing was written under this name")
        }
        framesWritten += Int64(frames)
    }

    /// Finishes the file and moves it to its final name (atomically replacing an older file there).
    public func commit() throws(AudioIOError) {
        guard let handle else { throw AudioIOError(path: url.path, "commit after close") }
        let status = SoundFileLock.withLock { sf_close(handle) }
        self.handle = nil
        guard status == 0 else {
            removeTemporary()
            throw AudioIOError(path: url.path, "closing failed (\(String(cString: sf_error_number(status))))")
        }
        if format.container == .opus {
            // A fixed Ogg serial number (libsndfile draws one from the clock), derived from the file name.
            var hash: UInt32 = 2_166_136_261
            for byte in url.lastPathComponent.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            do {
                try OggSerialNumber.rewrite(path: temporaryURL.path, serial: hash)
            } catch {
                removeTemporary()
                throw error
            }
        }
        guard rename(temporaryURL.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTemporary()
            throw AudioIOError(path: url.path, "cannot move the finished file into place: \(reason)")
        }
        TemporaryFiles.shared.unregister(temporaryURL.path)
    }

    /// Discards the file; the final name is left untouched.
    public func abort() {
        if let handle {
            SoundFileLock.withLock { _ = sf_close(handle) }
            self.handle = nil
            removeTemporary()
        }
    }

    private func removeTemporary() {
        unlink(temporaryURL.path)
        TemporaryFiles.shared.unregister(temporaryURL.path)
    }
}

/// Temporary files currently being written, so an interrupted render (SIGINT/SIGTERM) can remove them.
public final class TemporaryFiles: @unchecked Sendable {
    public static let shared = TemporaryFiles()
    private let lock = NSLock()
    private var paths: [String] = []

    func register(_ path: String) {
        lock.lock()
        paths.append(path)
        lock.unlock()
    }

    func unregister(_ path: String) {
        lock.lock()
        paths.removeAll { $0 == path }
        lock.unlock()
    }

    /// Deletes every registered temporary file. Called when the process is interrupted.
    public func removeAll() {
        lock.lock()
        for path in paths { unlink(path) }
        paths.removeAll()
        lock.unlock()
    }
}
