import AudioIO
import Convolution
import DSP

/// Builds the engine's processors. Most come straight from their configuration; a convolution reverb first loads
/// its impulse response (decoded and resampled to the session rate), which DSP, reading no files, cannot do.
/// Called in the single-threaded prepare phase (opening a file with libsndfile is not thread-safe).
public enum ProcessorFactory {
    public static func make(_ configuration: ProcessorConfiguration, sampleRate: Int) throws(AudioIOError)
        -> any AudioProcessor {
        guard case .convolutionReverb(let parameters) = configuration else { return configuration.makeProcessor() }
        return ConvolutionReverb(parameters, impulse: try loadImpulseResponse(parameters.ir, sampleRate: sampleRate))
    }

    /// The IR's channels at `sampleRate`, exactly `ir.frames(atRate:)` frames each (soxr when the rates differ).
    /// Fails if the file no longer matches the header facts the plan was compiled from.
    public static func loadImpulseResponse(_ ir: ImpulseResponseFile, sampleRate: Int) throws(AudioIOError) -> [[Float]] {
        let reader = try AudioFileReader(path: ir.path)
        defer { reader.close() }
        guard reader.frames == ir.frames, reader.sampleRate == ir.sampleRate, reader.channels == ir.channels else {
            throw AudioIOError(path: ir.path, "impulse response changed since the recipe was checked")
        }
        let length = ir.frames(atRate: sampleRate)
        let chunk = 4096
        let stream = try ResampledStem(reader: reader, outputRate: sampleRate, length: Int64(length),
                                       converter: .soxr, maxRequest: chunk)
        let channels = ir.channels
        var planar = [[Float]](repeating: [Float](repeating: 0, count: length), count: channels)
        let interleaved = UnsafeMutablePointer<Float>.allocate(capacity: chunk * channels)
        defer { interleaved.deallocate() }
        var done = 0
        while done < length {
            let n = min(chunk, length - done)
            try stream.read(into: interleaved, frames: n)
            for c in 0..<channels {
                for i in 0..<n { planar[c][done + i] = interleaved[i * channels + c] }
            }
            done += n
        }
        return planar
    }
}
