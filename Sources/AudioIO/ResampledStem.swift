import Foundation

/// A stem file as a stream of frames at the session rate: decoded, resampled if needed, and cut or padded to an
/// exact length.
///
/// Determinism: the file is decoded in fixed chunks of `chunkFrames` whatever the caller asks for, so the
/// converter always sees the same input pieces and the output does not depend on the engine's block size.
public final class ResampledStem: @unchecked Sendable {
    public static let chunkFrames = 4096

    public let reader: AudioFileReader
    public let channels: Int
    /// Frames this stream delivers in total; past the file's end it delivers silence up to here.
    public let length: Int64
    private let converter: (any SampleRateConverter)?
    private let decoded: UnsafeMutablePointer<Float>
    private var decodedCount = 0, decodedRead = 0
    private let fifo: UnsafeMutablePointer<Float>
    private let fifoCapacity: Int
    private var fifoStart = 0, fifoEnd = 0
    private var fileFinished = false, drained = false
    private var delivered: Int64 = 0
    private var fileFramesRead: Int64 = 0

    /// - Parameters:
    ///   - outputRate: the session rate.
    ///   - length: frames to deliver (the stem's length at the session rate).
    ///   - maxRequest: the largest `read` the caller will make.
    public init(reader: AudioFileReader, outputRate: Int, length: Int64, converter kind: SampleRateConverters.Kind,
                maxRequest: Int) throws(AudioIOError) {
        self.reader = reader
        channels = reader.channels
        self.length = length
        converter = reader.sampleRate == outputRate ? nil
            : try SampleRateConverters.make(kind, from: reader.sampleRate, to: outputRate, channels: reader.channels,
                                            label: reader.path)
        decoded = .allocate(capacity: Self.chunkFrames * channels)
        let ratio = Double(outputRate) / Double(reader.sampleRate)
        let chunkOut = Int((Double(Self.chunkFrames) * max(1, ratio)).rounded(.up)) + 64
        fifoCapacity = (maxRequest + 2 * chunkOut) * channels
        fifo = .allocate(capacity: fifoCapacity)
    }

    deinit {
        decoded.deallocate()
        fifo.deallocate()
    }

    /// Session frames decoded before a repositioned resampled stream is used, so its converter has settled.
    public static let prerollFrames: Int64 = 8192

    /// The next frame `read` delivers.
    public var position: Int64 { delivered }

    /// Moves the stream so that the next `read` delivers frame `frame` (for arrangements that jump).
    ///
    /// Without resampling the file seeks exactly. With resampling the file seeks to an earlier frame whose time
    /// falls exactly on a session frame (a multiple of fileRate/gcd file frames), the converter starts fresh there
    /// and its output is discarded up to `frame`: at least `prerollFrames` frames, so the converter has settled
    /// and the samples match the continuous stream to within the converter's own precision.
    public func reposition(to frame: Int64, outputRate: Int) throws(AudioIOError) {
        decodedCount = 0
        decodedRead = 0
        fifoStart = 0
        fifoEnd = 0
        fileFinished = false
        drained = false
        let target = max(0, min(frame, length))
        guard let converter else {
            let start = min(target, reader.frames)
            try reader.seek(to: start)
            fileFramesRead = start
            delivered = target
            if start < target || start >= reader.frames { fileFinished = true; drained = true }
            return
        }
        let g = Self.gcd(reader.sampleRate, outputRate)
        let fileStep = Int64(reader.sampleRate / g), sessionStep = Int64(outputRate / g)
        let begin = max(0, target - Self.prerollFrames) / sessionStep * sessionStep
        let fileStart = begin / sessionStep * fileStep
        converter.reset()
        try reader.seek(to: min(fileStart, reader.frames))
        fileFramesRead = min(fileStart, reader.frames)
        if fileStart >= reader.frames { fileFinished = true }
        delivered = begin
        var remaining = Int(target - begin)
        while remaining > 0 {
            while fifoEnd - fifoStart < channels, !drained { try refill() }
            let available = min(remaining, (fifoEnd - fifoStart) / channels)
            if available == 0 { break }
            fifoStart += available * channels
            remaining -= available
        }
        delivered = target
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Skips `frames` frames (used for a negative offset: the stem starts before the timeline).
    public func skip(_ frames: Int64, scratch: UnsafeMutablePointer<Float>, scratchFrames: Int) throws(AudioIOError) {
        var remaining = frames
        while remaining > 0 {
            let n = Int(min(remaining, Int64(scratchFrames)))
            try read(into: scratch, frames: n)
            remaining -= Int64(n)
        }
    }

    /// Delivers exactly `frames` interleaved frames (silence after the end).
    public func read(into output: UnsafeMutablePointer<Float>, frames: Int) throws(AudioIOError) {
        let wanted = Int(max(0, min(Int64(frames), length - delivered)))
        while fifoEnd - fifoStart < wanted * channels, !drained {
            try refill()
        }
        let available = min(wanted, (fifoEnd - fifoStart) / channels)
        output.update(from: fifo + fifoStart, count: available * channels)
        fifoStart += available * channels
        (output + available * channels).update(repeating: 0, count: (frames - available) * channels)
        // A converter may deliver a frame fewer than the rounded length: the remainder is silence.
        delivered += Int64(frames)
    }

    /// Reads the next chunk from the file; a file that stops before the length its header promises is an error
    /// (truncated or corrupt), except for MP3, whose header length is an estimate.
    private func readFile(into buffer: UnsafeMutablePointer<Float>, frames: Int) throws(AudioIOError) -> Int {
        let n = try reader.read(into: buffer, frames: frames)
        fileFramesRead += Int64(n)
        if n == 0, reader.hasExactLength, fileFramesRead < reader.frames {
            throw AudioIOError(path: reader.path, "file ends early: its header promises \(reader.frames) frames, "
                               + "only \(fileFramesRead) could be decoded (truncated or corrupt?)")
        }
        return n
    }

    private func refill() throws(AudioIOError) {
        compactFIFO()
        if converter == nil {
            let room = (fifoCapacity - fifoEnd) / channels
            let n = fileFinished ? 0 : try readFile(into: fifo + fifoEnd, frames: min(room, Self.chunkFrames))
            fifoEnd += n * channels
            if n == 0 { fileFinished = true; drained = true }
            return
        }
        if decodedRead == decodedCount, !fileFinished {
            decodedCount = try readFile(into: decoded, frames: Self.chunkFrames)
            decodedRead = 0
            if decodedCount == 0 { fileFinished = true }
        }
        let room = (fifoCapacity - fifoEnd) / channels
        let pending = decodedCount - decodedRead
        let result = try converter!.process(input: decoded + decodedRead * channels, inputFrames: pending,
                                            endOfInput: fileFinished, output: fifo + fifoEnd, outputCapacity: room)
        decodedRead += result.used
        fifoEnd += result.produced * channels
        if fileFinished, pending == 0, result.produced == 0 { drained = true }
    }

    private func compactFIFO() {
        guard fifoStart > 0 else { return }
        let count = fifoEnd - fifoStart
        memmove(fifo, fifo + fifoStart, count * MemoryLayout<Float>.size)
        fifoStart = 0
        fifoEnd = count
    }
}
