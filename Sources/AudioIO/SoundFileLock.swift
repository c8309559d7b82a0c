import Foundation

/// libsndfile's `sf_open` is not thread-safe (libsndfile issue #279): every open and close goes through this lock.
enum SoundFileLock {
    static let lock = NSLock()

    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
