import CSndFile
import Foundation

/// A read-only file behind libsndfile's virtual I/O that reads ahead in large chunks.
///
/// libsndfile reads PCM in requests of about 8 KB; a render interleaves them over every stem, so each becomes a
/// system call whose copy out of the page cache starts cold. Reading 256 KB at a time and serving libsndfile's
/// requests from that buffer cut the album-32 benchmark's read calls from 90,888 to 2,146 and its system time by
/// 40 % (0.36 → 0.22 s for the 60 s session, `perf stat`). The bytes libsndfile sees are the file's, unchanged.
///
/// Used by one thread at a time, like the reader that owns it.
final class ReadAheadFile {
    static let chunkBytes = 256 * 1024

    private let descriptor: Int32
    let length: Int64
    private var position: Int64 = 0
    private let buffer: UnsafeMutableRawPointer
    private var bufferStart: Int64 = 0
    private var bufferCount = 0

    /// Opens `path` for reading; nil if it cannot be opened or its length cannot be read.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            _ = Foundation.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        length = Int64(status.st_size)
        buffer = .allocate(byteCount: Self.chunkBytes, alignment: 64)
    }

    deinit {
        _ = Foundation.close(descriptor)
        buffer.deallocate()
    }

    func seek(_ offset: Int64, whence: Int32) -> Int64 {
        let target: Int64
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END: target = length + offset
        default: return -1
        }
        guard target >= 0 else { return -1 }
        position = target
        return position
    }

    func tell() -> Int64 { position }

    /// Copies up to `count` bytes at the current position; fewer only at the end of the file or on a read error
    /// (which libsndfile then reports as a short read).
    func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        var done = 0
        while done < count {
            let offset = position - bufferStart
            if offset >= 0 && offset < Int64(bufferCount) {
                let n = min(count - done, bufferCount - Int(offset))
                (destination + done).copyMemory(from: buffer + Int(offset), byteCount: n)
                done += n
                position += Int64(n)
                continue
            }
            guard position < length else { break }
            if count - done >= Self.chunkBytes {
                // A request larger than the chunk goes straight to the caller's memory.
                let n = pread(descriptor, destination + done, count - done, off_t(position))
                guard n > 0 else { break }
                done += n
                position += Int64(n)
                continue
            }
            let n = pread(descriptor, buffer, Self.chunkBytes, off_t(position))
            guard n > 0 else { break }
            bufferStart = position
            bufferCount = n
        }
        return done
    }

    /// The callbacks libsndfile calls with this object as its user data.
    static var virtualIO: SF_VIRTUAL_IO {
        SF_VIRTUAL_IO(
            get_filelen: { user in file(user).length },
            seek: { offset, whence, user in file(user).seek(offset, whence: whence) },
            read: { pointer, count, user in
                guard let pointer, count > 0 else { return 0 }
                return sf_count_t(file(user).read(into: pointer, count: Int(count)))
            },
            write: { _, _, _ in 0 },
            tell: { user in file(user).tell() })
    }

}

/// The file behind libsndfile's user-data pointer (a free function: C callbacks cannot capture context).
private func file(_ user: UnsafeMutableRawPointer?) -> ReadAheadFile {
    Unmanaged<ReadAheadFile>.fromOpaque(user!).takeUnretainedValue()
}
