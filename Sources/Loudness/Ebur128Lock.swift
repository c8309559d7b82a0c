import Foundation

/// `ebur128_init` is not thread-safe: besides allocating a state it rewrites libebur128's static globals (gate
/// factors and histogram boundaries). Every `ebur128_init` and `ebur128_destroy` in Bounce goes through this one
/// lock, so meters can be created and released from any number of threads.
///
/// Measuring does not take the lock: `ebur128_add_frames_*` and the loudness queries only read those globals, and
/// a concurrent `ebur128_init` rewrites them with the same constants (Bounce never uses histogram mode).
enum Ebur128Lock {
    static let lock = NSLock()

    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
