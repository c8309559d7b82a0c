import CSndFile
import Foundation

/// Writes an audio file atomically: samples go to a hidden temporary file in the destination folder, which is
/// renamed over the final name only by `commit()`. An error, `abort()`, a crash or an interruption therefore never
/// leaves a partial file under the final name (at worst a `.bounce-tmp-*` file, removed on the next abort).
///
/// Integer encodings clip at full scale (libsndfile's clipping mode), they never wrap around.
public final class AudioFileWriter: @unchecked Sendable {
    public let url: URL
    public let format: AudioFileFormat
    public let channels: Int
    public let sampleRate: Int
    public let temporaryURL: URL
    private var handle: OpaquePointer?
    public private(set) var framesWritten: Int64 = 0

    public init(url: URL, format: AudioFileFormat, channels: Int, sampleRate: Int) throws(AudioIOError) {
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
        if format.encoding != .float32 {
            sf_command(opened, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        }
    }

    deinit { abort() }

    /// Writes interleaved frames.
    public func write(_ samples: UnsafePointer<Float>, frames: Int) throws(AudioIOError) {
        guard let handle else { throw AudioIOError(path: url.path, "write after close") }
        let written = sf_writef_float(handle, samples, sf_count_t(frames))
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
