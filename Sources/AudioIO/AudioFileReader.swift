import CSndFile
import Foundation

/// Reads any file libsndfile can decode (WAV, AIFF, FLAC, Ogg, Opus, MP3…) as interleaved 32-bit float.
///
/// Holds a C handle, so it is a class; it is used by one thread at a time (the engine gives each stem its own
/// reader), which is why `@unchecked Sendable` is sound here.
public final class AudioFileReader: @unchecked Sendable {
    public let path: String
    public let channels: Int
    public let sampleRate: Int
    /// Frames according to the file header.
    public let frames: Int64
    /// libsndfile's major/minor format code.
    public let format: Int32
    private var handle: OpaquePointer?
    /// The read-ahead file libsndfile reads through (nil when it opened the path itself); outlives `handle`.
    private var file: ReadAheadFile?

    public init(path: String) throws(AudioIOError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw AudioIOError(path: path, "file not found")
        }
        guard !isDirectory.boolValue else { throw AudioIOError(path: path, "is a folder, not an audio file") }
        var info = SF_INFO()
        // Through read-ahead virtual I/O where libsndfile recognises the file from its contents; a plain open
        // otherwise (a few formats are told by their name) and for the error message.
        var opened: OpaquePointer?
        if let file = ReadAheadFile(path: path) {
            var io = ReadAheadFile.virtualIO
            opened = SoundFileLock.withLock {
                sf_open_virtual(&io, Int32(SFM_READ), &info, Unmanaged.passUnretained(file).toOpaque())
            }
            if opened != nil { self.file = file } else { info = SF_INFO() }
        }
        if opened == nil { opened = SoundFileLock.withLock { sf_open(path, Int32(SFM_READ), &info) } }
        guard let opened else {
            let message = String(cString: sf_strerror(nil))
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            if size == 0 { throw AudioIOError(path: path, "file is empty (0 bytes)") }
            throw AudioIOError(path: path, "not a readable audio file (\(message))")
        }
        handle = opened
        channels = Int(info.channels)
        sampleRate = Int(info.samplerate)
        frames = Int64(info.frames)
        format = info.format
        guard frames > 0 else {
            close()
            throw AudioIOError(path: path, "contains no audio (0 frames)")
        }
        guard sampleRate > 0 else {
            close()
            throw AudioIOError(path: path, "has an invalid sample rate (\(sampleRate) Hz)")
        }
    }

    deinit { close() }

    /// A short description such as "FLAC 24-bit".
    public var formatDescription: String {
        AudioFileFormat.describe(format)
    }

    /// Bits per sample: 16/24/32 for PCM, 32 for float, 64 for double; nil for lossy codecs (Vorbis, Opus, MP3).
    public var bitDepth: Int? {
        AudioFileFormat.bitDepth(format)
    }

    /// Whether the header's frame count is exact (it is an estimate for MP3).
    public var hasExactLength: Bool {
        (format & Int32(SF_FORMAT_TYPEMASK)) != Int32(SF_FORMAT_MPEG)
    }

    /// Reads up to `frames` frames into `buffer` (interleaved); returns how many were read. 0 means end of file.
    public func read(into buffer: UnsafeMutablePointer<Float>, frames: Int) throws(AudioIOError) -> Int {
        guard let handle else { throw AudioIOError(path: path, "read after close") }
        let count = Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
        if count < frames {
            let code = sf_error(handle)
            if code != 0 {
                throw AudioIOError(path: path, "decoding failed (\(String(cString: sf_error_number(code))))")
            }
        }
        return count
    }

    /// Moves the read position to `frame` (exact for every format libsndfile seeks in).
    public func seek(to frame: Int64) throws(AudioIOError) {
        guard let handle else { throw AudioIOError(path: path, "seek after close") }
        if sf_seek(handle, sf_count_t(frame), Int32(SEEK_SET)) < 0 {
            throw AudioIOError(path: path, "cannot seek to frame \(frame) (\(String(cString: sf_strerror(handle))))")
        }
    }

    public func close() {
        guard let handle else { return }
        SoundFileLock.withLock { _ = sf_close(handle) }
        self.handle = nil
    }
}
