import AudioIO
import DSP
import Foundation
import RenderGraph

/// Places a stem on the output: silence before its offset and after its end, the stream in between, with the
/// stem's own fades. Under an arrangement, each output frame plays the timeline frame the playback maps it to, and
/// the segments' crossfades are applied here, at the source, so that everything downstream runs continuously.
final class StemNode: EngineNode, @unchecked Sendable {
    let source: StemSource
    private let sessionRate: Int
    private let playback: Playback?
    /// Two streams for an arrangement (the outgoing and the incoming segment of a crossfade), else one.
    private let streams: [ResampledStem]
    /// The segment each stream is positioned for (-1: none yet).
    private var streamSegment: [Int]
    private let scratch: UnsafeMutablePointer<Float>
    private let gains: UnsafeMutablePointer<Float>
    private let blockSize: Int

    /// Opens the file (call from one thread: libsndfile's open is serialised anyway) and skips a negative offset.
    init(name: String, source: StemSource, sessionRate: Int, blockSize: Int, playback: Playback?) throws(AudioIOError) {
        self.source = source
        self.sessionRate = sessionRate
        self.playback = playback
        self.blockSize = blockSize
        var streams: [ResampledStem] = []
        for _ in 0..<(playback == nil ? 1 : 2) {
            let reader = try AudioFileReader(path: source.path)
            guard reader.channels == source.channels, reader.sampleRate == source.fileSampleRate else {
                throw AudioIOError(path: source.path, "changed since the recipe was checked")
            }
            let kind: SampleRateConverters.Kind = source.resampler == .libsamplerate ? .libsamplerate : .soxr
            streams.append(try ResampledStem(reader: reader, outputRate: sessionRate, length: source.frames,
                                             converter: kind, maxRequest: blockSize))
        }
        self.streams = streams
        streamSegment = [Int](repeating: -1, count: streams.count)
        scratch = .allocate(capacity: blockSize * source.channels)
        gains = .allocate(capacity: blockSize)
        super.init(name: name, output: AudioBuffer(channels: source.channels, capacity: blockSize))
        if playback == nil, source.offset < 0 {
            try streams[0].skip(-source.offset, scratch: scratch, scratchFrames: blockSize)
        }
    }

    deinit {
        scratch.deallocate()
        gains.deallocate()
    }

    /// Renders output frames `start ..< start + frames` into `output`.
    override func render(start: Int64, frames: Int) {
        let began = nanos()
        defer { decodeNanos += nanos() - began }
        do {
            output.clear(count: frames)
            if failure == nil {
                if let playback {
                    try renderArrangement(playback, start: start, frames: frames)
                } else {
                    try renderTimeline(start: start, frames: frames)
                }
            }
            // Float files can hold NaN and infinity: stop them at the source, where the report can name the stem.
            sanitiseOutput(start: start, frames: frames)
        } catch {
            output.clear(count: frames)
            if failure == nil { failure = error }
        }
    }

    /// The whole timeline: output frame = timeline frame.
    private func renderTimeline(start: Int64, frames: Int) throws(AudioIOError) {
        let begin = max(start, source.offset)
        let end = min(start + Int64(frames), source.offset + source.frames)
        guard begin < end else { return }
        let count = Int(end - begin)
        try streams[0].read(into: scratch, frames: count)
        let at = Int(begin - start)
        let stemFrame = begin - source.offset
        if hasFades(from: stemFrame, count: count) {
            for i in 0..<count { gains[i] = Float(fade(at: stemFrame + Int64(i))) }
            accumulate(count: count, at: at, gains: gains)
        } else {
            for c in 0..<source.channels {
                SignalKernels.extractChannel(c, from: scratch, channelCount: source.channels, count: count,
                                             into: output[c] + at)
            }
        }
    }

    /// An arrangement: every segment sounding in this block adds its stretch of the stem, times its crossfade gain.
    private func renderArrangement(_ playback: Playback, start: Int64, frames: Int) throws(AudioIOError) {
        let blockEnd = start + Int64(frames)
        for (index, segment) in playback.segments.enumerated() {
            guard segment.soundingStart < blockEnd, segment.soundingEnd > start else { continue }
            // Output frames of this segment within the block, and the stem frames they play.
            let from = max(start, segment.soundingStart), to = min(blockEnd, segment.soundingEnd)
            let stemFrom = segment.timeline(at: from) - source.offset
            let stemTo = stemFrom + (to - from)
            let readFrom = max(stemFrom, 0), readTo = min(stemTo, source.frames)
            guard readFrom < readTo else { continue }
            let slot = index % streams.count
            if streamSegment[slot] != index || streams[slot].position != readFrom {
                try streams[slot].reposition(to: readFrom, outputRate: sessionRate)
                streamSegment[slot] = index
            }
            let count = Int(readTo - readFrom)
            try streams[slot].read(into: scratch, frames: count)
            let outputFrom = from + (readFrom - stemFrom)
            let unity = outputFrom >= segment.fadeInEnd && outputFrom + Int64(count) <= segment.fadeOutStart
                && !hasFades(from: readFrom, count: count)
            if unity {
                // Between the crossfades only this segment sounds, at unity: a plain copy.
                let at = Int(outputFrom - start)
                for c in 0..<source.channels {
                    SignalKernels.extractChannel(c, from: scratch, channelCount: source.channels, count: count,
                                                 into: output[c] + at)
                }
                continue
            }
            for i in 0..<count {
                let t = outputFrom + Int64(i)
                gains[i] = Float(segment.gain(at: t) * fade(at: readFrom + Int64(i)))
            }
            accumulate(count: count, at: Int(outputFrom - start), gains: gains)
        }
    }

    /// output[c][at + i] += scratch[i, c] · gains[i]
    private func accumulate(count: Int, at: Int, gains: UnsafeMutablePointer<Float>) {
        let channels = source.channels
        for c in 0..<channels {
            let out = output[c] + at
            for i in 0..<count { out[i] += scratch[i * channels + c] * gains[i] }
        }
    }

    private func hasFades(from stemFrame: Int64, count: Int) -> Bool {
        (source.fadeIn > 0 && stemFrame < source.fadeIn)
            || (source.fadeOut > 0 && stemFrame + Int64(count) > source.frames - source.fadeOut)
    }

    /// The stem's own fade gain at one of its frames.
    private func fade(at frame: Int64) -> Double {
        var gain = 1.0
        if source.fadeIn > 0, frame < source.fadeIn {
            gain *= curve((Double(frame) + 0.5) / Double(source.fadeIn))
        }
        if source.fadeOut > 0, frame >= source.frames - source.fadeOut {
            gain *= curve((Double(source.frames - frame) - 0.5) / Double(source.fadeOut))
        }
        return gain
    }

    private func curve(_ u: Double) -> Double {
        let x = min(1, max(0, u))
        switch source.fadeCurve {
        case .linear: return x
        case .s: return 0.5 - 0.5 * cos(Double.pi * x)
        // An exponential fade: −60 dB at the far end, rising by equal dB per unit time.
        case .exp: return x <= 0 ? 0 : pow(10, -3 * (1 - x))
        }
    }
}
