import AudioIO
import DSP
import RenderGraph

/// Places a stem on the timeline: silence before its offset and after its end, the stream in between.
final class StemNode: EngineNode, @unchecked Sendable {
    let source: StemSource
    private let stream: ResampledStem
    private let scratch: UnsafeMutablePointer<Float>

    /// Opens the file (call from one thread: libsndfile's open is serialised anyway) and skips a negative offset.
    init(name: String, source: StemSource, sessionRate: Int, blockSize: Int) throws(AudioIOError) {
        self.source = source
        let reader = try AudioFileReader(path: source.path)
        guard reader.channels == source.channels, reader.sampleRate == source.fileSampleRate else {
            throw AudioIOError(path: source.path, "changed since the recipe was checked")
        }
        let kind: SampleRateConverters.Kind = source.resampler == .libsamplerate ? .libsamplerate : .soxr
        stream = try ResampledStem(reader: reader, outputRate: sessionRate, length: source.frames, converter: kind,
                                   maxRequest: blockSize)
        scratch = .allocate(capacity: blockSize * source.channels)
        super.init(name: name, output: AudioBuffer(channels: source.channels, capacity: blockSize))
        if source.offset < 0 {
            try stream.skip(-source.offset, scratch: scratch, scratchFrames: blockSize)
        }
    }

    deinit { scratch.deallocate() }

    /// Renders timeline frames `start ..< start + frames` into `output`.
    override func render(start: Int64, frames: Int) {
        let began = nanos()
        defer { decodeNanos += nanos() - began }
        do {
            try renderStream(start: start, frames: frames)
            // Float files can hold NaN and infinity: stop them at the source, where the report can name the stem.
            sanitiseOutput(start: start, frames: frames)
        } catch {
            output.clear(count: frames)
            if failure == nil { failure = error }
        }
    }

    private func renderStream(start: Int64, frames: Int) throws(AudioIOError) {
        output.clear(count: frames)
        guard failure == nil else { return }
        let begin = max(start, source.offset)
        let end = min(start + Int64(frames), source.offset + source.frames)
        guard begin < end else { return }
        let count = Int(end - begin)
        try stream.read(into: scratch, frames: count)
        let at = Int(begin - start)
        for c in 0..<source.channels {
            SignalKernels.extractChannel(c, from: scratch, channelCount: source.channels, count: count,
                                         into: output[c] + at)
        }
    }
}
