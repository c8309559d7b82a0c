import AudioIO
import DSP
import Foundation

/// Writes one output file on its own thread, so encoding overlaps the rendering of the next blocks.
///
/// The renderer copies each block (interleaved) into one of a few slots and goes on; the writer thread writes
/// slots strictly in order, so the file's bytes are the same as with synchronous writing. When every slot is
/// full, `submit` waits: memory stays bounded at `slots × blockSize` frames per output.
final class BackgroundWriter: @unchecked Sendable {
    let writer: AudioFileWriter
    private(set) var peak: Float = 0
    /// Time the writer thread spent converting and writing.
    private(set) var busyNanos: UInt64 = 0
    private let blockSize: Int
    private let slots: [UnsafeMutablePointer<Float>]
    private var frames: [Int]
    private var head = 0, tail = 0, count = 0
    private var closed = false
    private var failure: AudioIOError?
    private let condition = NSCondition()
    private var thread: Thread?
    private var finished = false

    init(writer: AudioFileWriter, blockSize: Int, slots slotCount: Int = 4) {
        self.writer = writer
        self.blockSize = blockSize
        slots = (0..<slotCount).map { _ in .allocate(capacity: blockSize * 2) }
        frames = [Int](repeating: 0, count: slotCount)
        let thread = Thread { [self] in self.loop() }
        thread.name = "bounce-writer"
        self.thread = thread
        thread.start()
    }

    deinit { for slot in slots { slot.deallocate() } }

    /// Queues `frames` frames of a stereo buffer starting at `first`. Throws the writer's error, if any.
    func submit(_ buffer: AudioBuffer, first: Int, frames count: Int) throws(AudioIOError) {
        condition.lock()
        while self.count == slots.count && failure == nil { condition.wait() }
        if let failure { condition.unlock(); throw failure }
        let slot = slots[tail]
        condition.unlock()
        // Only this thread fills the tail slot, and the writer never reads it until `count` says so.
        for c in 0..<2 {
            SignalKernels.insertChannel(c, from: buffer[c] + first, channelCount: 2, count: count, into: slot)
        }
        condition.lock()
        frames[tail] = count
        tail = (tail + 1) % slots.count
        self.count += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until everything queued is written; throws the first write error.
    func finish() throws(AudioIOError) {
        condition.lock()
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }

    private func loop() {
        while true {
            condition.lock()
            while count == 0 && !closed { condition.wait() }
            if count == 0 && closed {
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let slot = slots[head], n = frames[head]
            condition.unlock()
            let began = DispatchTime.now().uptimeNanoseconds
            var peak = self.peak
            for i in 0..<(n * 2) { peak = max(peak, abs(slot[i])) }
            self.peak = peak
            var error: AudioIOError?
            do { try writer.write(slot, frames: n) } catch let e { error = e }
            busyNanos += DispatchTime.now().uptimeNanoseconds - began
            condition.lock()
            if let error, failure == nil { failure = error }
            head = (head + 1) % slots.count
            count -= 1
            condition.broadcast()
            condition.unlock()
        }
    }
}
