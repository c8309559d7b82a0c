import AudioIO
import DSP
import Engine
import Foundation
import Recipe
import RenderGraph

/// Options for `Bounce.render`.
public struct RenderOptions: Sendable {
    /// Frames per block. Output is identical for any value; it only trades memory for overhead.
    public var blockSize: Int = 4096
    public var outDirectory: URL?
    /// Threads that evaluate nodes (1 = the serial reference scheduler). Output is identical for any value.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Called on the rendering thread after every block; keep it cheap.
    public var progress: (@Sendable (RenderProgress) -> Void)?

    public init(blockSize: Int = 4096, outDirectory: URL? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.blockSize = blockSize
        self.outDirectory = outDirectory
        self.jobs = jobs
    }
}

/// One file a render wrote.
public struct RenderedFile: Sendable, Equatable {
    public var deliverable: String
    /// The stem group, for stem files.
    public var stem: String?
    public var url: URL
    public var format: AudioFileFormat
    public var sampleRate: Int
    public var frames: Int64
    /// Samples beyond full scale, clipped by the integer encoding.
    public var clippedSamples: Int
    public var samplePeak: Float
}

public struct RenderResult: Sendable {
    public var files: [RenderedFile]
    public var report: RenderReport
    public var warnings: [Diagnostic]
    /// Time spent converting and writing the outputs (on the calling thread).
    public var encodeSeconds: Double
}

/// How far a render is, reported after every block (the CLI turns it into a progress line).
public struct RenderProgress: Sendable {
    public var framesDone: Int64
    public var framesTotal: Int64
    public var sampleRate: Int
    public var outputs: Int
}

/// Failure while rendering (after the recipe checked out): a stem that fails to decode, an unwritable folder.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "error: \(message)" }
}

extension Bounce.Prepared {
    /// A read or write failure during a render. One that concerns a stem (a file that stops decoding half-way)
    /// is reported at the stem's key in the recipe, like a stem that cannot be opened; any other stays a plain
    /// render error naming its file.
    func renderError(_ error: AudioIOError) -> any Error {
        guard let track = recipe.tracks.first(where: { $0.stemURL.path == error.path }) else {
            return RenderError(message: error.description)
        }
        return RecipeError([Diagnostic(at: track.stem.location, "stem '\(track.stem.value)': \(error.reason)")])
    }
}

extension Bounce {
    /// The main mix format until deliverables arrive: 24-bit WAV at the session rate.
    public static let mixFormat = AudioFileFormat(.wav, .pcm24)

    /// Renders the recipe's main mix. Nothing is left under a final file name unless it is complete.
    public static func render(recipePath: String, options: RenderOptions = RenderOptions()) throws -> RenderResult {
        let prepared = try prepare(recipePath: recipePath, outDirectory: options.outDirectory)
        return try render(prepared, options: options)
    }

    public static func render(_ prepared: Prepared, options: RenderOptions) throws -> RenderResult {
        let plan = prepared.plan
        let renderer: OfflineRenderer
        do {
            renderer = try OfflineRenderer(plan: plan, blockSize: options.blockSize, jobs: options.jobs)
        } catch {
            throw prepared.renderError(error)
        }
        let format = mixFormat
        var writers: [AudioFileWriter] = []
        var background: [BackgroundWriter] = []
        var peaks = [Float](repeating: 0, count: plan.outputs.count)
        let interleaved = UnsafeMutablePointer<Float>.allocate(capacity: options.blockSize * 2)
        defer { interleaved.deallocate() }
        do {
            for output in plan.outputs {
                let values = placeholderValues(prepared.recipe, deliverable: output.deliverable, stem: output.stem,
                                               ext: format.fileExtension, arrangement: plan.arrangement, mix: plan.mix)
                let url = try prepared.naming.url(values: values, appending: output.stem,
                                                  distinguishing: distinguishing(prepared, side: nil))
                writers.append(try AudioFileWriter(url: url, format: format, channels: 2, sampleRate: plan.sampleRate))
            }
            // With one job everything runs on the calling thread (the reference); with more, each output is
            // encoded on its own thread while the next blocks render.
            if options.jobs > 1 {
                background = writers.map { BackgroundWriter(writer: $0, blockSize: options.blockSize) }
            }
            var encodeNanos: UInt64 = 0
            var done: Int64 = 0
            let report = try renderer.render { index, buffer, first, frames in
                let began = DispatchTime.now().uptimeNanoseconds
                defer {
                    encodeNanos += DispatchTime.now().uptimeNanoseconds - began
                    if index == plan.outputs.count - 1 {
                        done += Int64(frames)
                        options.progress?(RenderProgress(framesDone: done, framesTotal: plan.length,
                                                         sampleRate: plan.sampleRate, outputs: plan.outputs.count))
                    }
                }
                if !background.isEmpty {
                    try background[index].submit(buffer, first: first, frames: frames)
                    return
                }
                for c in 0..<2 {
                    SignalKernels.insertChannel(c, from: buffer[c] + first, channelCount: 2, count: frames,
                                                into: interleaved)
                }
                var peak = peaks[index]
                for i in 0..<(frames * 2) { peak = max(peak, abs(interleaved[i])) }
                peaks[index] = peak
                try writers[index].write(interleaved, frames: frames)
            }
            for (index, writer) in background.enumerated() {
                try writer.finish()
                peaks[index] = writer.peak
                encodeNanos += writer.busyNanos
            }
            for writer in writers { try writer.commit() }
            let files = zip(plan.outputs.indices, writers).map { index, writer in
                RenderedFile(deliverable: plan.outputs[index].deliverable, stem: plan.outputs[index].stem, url: writer.url, format: format,
                             sampleRate: plan.sampleRate, frames: writer.framesWritten, clippedSamples: writer.clippedSamples,
                             samplePeak: peaks[index])
            }
            return RenderResult(files: files, report: report, warnings: prepared.warnings,
                                encodeSeconds: Double(encodeNanos) / 1e9)
        } catch let error as AudioIOError {
            for writer in background { try? writer.finish() }
            writers.forEach { $0.abort() }
            throw prepared.renderError(error)
        } catch {
            for writer in background { try? writer.finish() }
            writers.forEach { $0.abort() }
            throw error
        }
    }
}
