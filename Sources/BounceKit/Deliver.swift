import AudioIO
import DSP
import Delivery
import Engine
import Foundation
import Loudness
import Recipe
import RenderGraph

/// One file a delivery wrote, measured from the file itself.
public struct DeliveredFile: Sendable {
    public var deliverable: String
    public var stem: String?
    public var url: URL
    public var analysis: FileAnalysis
    public var target: Manifest.Target
    public var passes: Int
    public var limiterReduction: Double
    /// Integrated loudness of the mastered signal before dither and encoding (nil for stems).
    public var masteredLUFS: Double?
    /// Times the file was mastered and encoded: more than 1 when the decoded true peak was over the ceiling, or a
    /// lossy file missed its loudness by more than 0.1 LU.
    public var attempts: Int
    /// Wall time spent on this file: mastering, dither, encoding, decoding and measuring, all attempts (0 for
    /// stems, which are written while the mix renders).
    public var seconds: Double
    /// Ways the written file misses its targets (empty: it passes).
    public var problems: [String]
    /// Whether a miss fails the render (`on_miss: fail`).
    public var failsRender: Bool
    public var cueSheet: URL?
    /// Things worth knowing that do not fail the file (a vinyl side past a format's length limit).
    public var warnings: [String] = []

    public var passed: Bool { problems.isEmpty }
}

public struct DeliveryResult: Sendable {
    public var files: [DeliveredFile]
    public var manifest: URL
    public var report: RenderReport
    public var warnings: [Diagnostic]
    public var failed: Bool { files.contains { !$0.passed && $0.failsRender } }
}

extension Bounce {
    /// Renders the recipe's `deliver:` entries (or those named in `only`): the plan runs once; every mastered
    /// deliverable starts from the same buffered premaster (the mix at the session rate), stem deliverables stream
    /// their groups to disk. Each file is then decoded and measured, and `manifest.json` lists them all.
    public static func deliver(_ prepared: Prepared, options: RenderOptions, only: [String]? = nil) throws
        -> DeliveryResult {
        let recipe = prepared.recipe
        var selected = recipe.deliverables
        if let only {
            let names = selected.map(\.name.value)
            for name in only where !names.contains(name) {
                throw RecipeError([Diagnostic(at: nil, "--only: no deliverable named '\(name)'"
                                              + Suggestions.hint(for: name, in: names))])
            }
            selected = selected.filter { only.contains($0.name.value) }
        }
        // One render per arrangement × mix × tail (and per vinyl side), shared by every deliverable that needs it.
        var jobs: [(selection: RenderSelection, side: Side?, deliverables: [Deliverable])] = []
        for d in selected {
            for (selection, side) in selections(for: d, prepared: prepared) {
                if let index = jobs.firstIndex(where: { $0.selection.key == selection.key && $0.side == nil && side == nil }) {
                    jobs[index].deliverables.append(d)
                } else {
                    jobs.append((selection, side, [d]))
                }
            }
        }
        var written: [DeliveredFile] = []
        var report = RenderReport.empty
        for job in jobs {
            let plan = prepared.plan(for: job.selection)
            let naming = Naming(arrangement: job.selection.arrangement, mix: job.selection.mix, side: job.side?.name,
                                distinguishing: distinguishing(prepared, side: job.side))
            let (files, jobReport) = try deliverJob(job.deliverables, plan: plan, naming: naming, side: job.side,
                                                    prepared: prepared, options: options)
            written += files
            report.merge(jobReport)
        }
        // Keep the recipe's order in the report and manifest.
        let order = selected.map(\.name.value)
        written = written.enumerated().sorted { a, b in
            let x = order.firstIndex(of: a.element.deliverable) ?? 0, y = order.firstIndex(of: b.element.deliverable) ?? 0
            return (x, a.offset) < (y, b.offset)
        }.map(\.element)
        let manifestURL = try writeManifest(written, prepared: prepared)
        return DeliveryResult(files: written, manifest: manifestURL, report: report, warnings: prepared.warnings)
    }

    /// Names for one render's files.
    struct Naming {
        var arrangement: String
        var mix: String
        var side: String?
        var distinguishing: [String]

        func values(_ recipe: Recipe, deliverable: String, stem: String? = nil, ext: String) -> [String: String] {
            placeholderValues(recipe, deliverable: deliverable, stem: stem, ext: ext, arrangement: arrangement, mix: mix,
                              side: side)
        }
    }

    /// A vinyl side: its name and sections in play order.
    struct Side: Equatable {
        var name: String
        var sections: [String]
    }

    /// When the command line picks the arrangement or mix, file names say so (unless the template already does);
    /// vinyl sides always do.
    static func distinguishing(_ prepared: Prepared, side: Side?) -> [String] {
        var names: [String] = []
        if let a = prepared.arrangementOverride, a != "full" { names.append("arrangement") }
        if let m = prepared.mixOverride, m != "main" { names.append("mix") }
        if side != nil { names.append("side") }
        return names
    }

    /// The renders a deliverable needs: one, or one per vinyl side.
    static func selections(for d: Deliverable, prepared: Prepared) -> [(RenderSelection, Side?)] {
        let recipe = prepared.recipe
        let mix = prepared.mixOverride ?? d.mix?.value ?? "main"
        if !d.sides.isEmpty, prepared.arrangementOverride == nil {
            return d.sides.map { side in
                let names = side.sections.map(\.value)
                let play = names.map { RenderSelection.Entry(section: $0, crossfade: Arrangement.defaultCrossfade) }
                let selection = RenderSelection(arrangement: "side \(side.name.value)", mix: mix, play: play,
                                                endFade: Arrangement.defaultCrossfade, tail: d.tail ?? recipe.session.tail)
                return (selection, Side(name: side.name.value, sections: names))
            }
        }
        let arrangement = prepared.arrangementOverride ?? d.arrangement?.value ?? "full"
        return [(RenderSelection.named(arrangement, mix: mix, tail: d.tail, in: recipe), nil)]
    }

    /// Renders one plan and delivers the deliverables that share it.
    static func deliverJob(_ selected: [Deliverable], plan: RenderPlan, naming: Naming, side: Side?, prepared: Prepared,
                           options: RenderOptions) throws -> ([DeliveredFile], RenderReport) {
        let recipe = prepared.recipe
        let mastered = selected.filter { !$0.stems }
        let stemDeliverables = selected.filter(\.stems)

        // 1. Render once: the mix into memory (if anything is mastered), stem groups straight to their files.
        let renderer: OfflineRenderer
        do {
            renderer = try OfflineRenderer(plan: plan, blockSize: options.blockSize, jobs: options.jobs)
        } catch {
            throw prepared.renderError(error)
        }
        var premaster: [[Float]] = [[], []]
        if !mastered.isEmpty { for c in 0..<2 { premaster[c].reserveCapacity(Int(plan.length)) } }
        var stemWriters: [[(writer: AudioFileWriter, background: BackgroundWriter)]] = []  // [deliverable][group]
        var written: [DeliveredFile] = []
        do {
            for deliverable in stemDeliverables {
                var writers: [(AudioFileWriter, BackgroundWriter)] = []
                for output in plan.outputs.dropFirst() {
                    let format = fileFormat(deliverable)
                    let values = naming.values(recipe, deliverable: deliverable.name.value, stem: output.stem,
                                               ext: format.fileExtension)
                    let url = try prepared.naming.url(values: values, appending: output.stem,
                                                      distinguishing: naming.distinguishing)
                    let writer = try AudioFileWriter(url: url, format: format, channels: 2, sampleRate: plan.sampleRate,
                                                     tags: tags(recipe, deliverable))
                    writers.append((writer, BackgroundWriter(writer: writer, blockSize: options.blockSize)))
                }
                stemWriters.append(writers)
            }
            var done: Int64 = 0
            let report = try renderer.render { index, buffer, first, frames in
                if index == 0 {
                    if !mastered.isEmpty {
                        for c in 0..<2 { premaster[c].append(contentsOf: UnsafeBufferPointer(start: buffer[c] + first, count: frames)) }
                    }
                } else {
                    for writers in stemWriters { try writers[index - 1].background.submit(buffer, first: first, frames: frames) }
                }
                if index == plan.outputs.count - 1 {
                    done += Int64(frames)
                    options.progress?(RenderProgress(framesDone: done, framesTotal: plan.length,
                                                     sampleRate: plan.sampleRate, outputs: plan.outputs.count))
                }
            }
            for (deliverable, writers) in zip(stemDeliverables, stemWriters) {
                for (output, pair) in zip(plan.outputs.dropFirst(), writers) {
                    try pair.background.finish()
                    try pair.writer.commit()
                    let analysis = try FileAnalysis.analyze(path: pair.writer.url.path)
                    let problems = formatProblems(analysis, deliverable: deliverable, expectedRate: plan.sampleRate)
                    written.append(DeliveredFile(deliverable: deliverable.name.value, stem: output.stem,
                                                 url: pair.writer.url, analysis: analysis, target: Manifest.Target(),
                                                 passes: 0, limiterReduction: 0, masteredLUFS: nil, attempts: 1,
                                                 seconds: 0, problems: problems,
                                                 failsRender: deliverable.onMiss == .fail, cueSheet: nil))
                }
            }

            // 2. Master every other deliverable from the premaster, independent ones in parallel.
            let results = try masterAll(mastered, premaster: premaster, prepared: prepared, naming: naming, side: side,
                                        plan: plan, jobs: options.jobs)
            written.insert(contentsOf: results, at: 0)
            return (written, report)
        } catch let error as AudioIOError {
            for writers in stemWriters { for pair in writers { try? pair.background.finish(); pair.writer.abort() } }
            throw prepared.renderError(error)
        } catch {
            for writers in stemWriters { for pair in writers { try? pair.background.finish(); pair.writer.abort() } }
            throw error
        }
    }

    static func fileFormat(_ d: Deliverable) -> AudioFileFormat {
        let container: AudioFileFormat.Container
        switch d.format {
        case .wav: container = .wav
        case .aiff: container = .aiff
        case .flac: container = .flac
        case .mp3: container = .mp3
        case .opus: container = .opus
        }
        let encoding: AudioFileFormat.Encoding = d.bitDepth == 16 ? .pcm16 : d.bitDepth == 24 ? .pcm24 : .float32
        return AudioFileFormat(container, encoding, bitrate: d.bitrate)
    }

    /// BWF `bext` fields for WAV masters: title and artist, Bounce, and the ISRC as the reference.
    static func broadcastInfo(_ recipe: Recipe) -> AudioFileWriter.BroadcastInfo {
        let m = recipe.metadata
        return AudioFileWriter.BroadcastInfo(
            description: m.artist.map { "\(m.title) - \($0)" } ?? m.title, originator: "Bounce \(version)",
            originatorReference: m.isrc.map { $0.replacingOccurrences(of: "-", with: "").uppercased() } ?? "")
    }

    static func tags(_ recipe: Recipe, _ d: Deliverable) -> [(AudioFileWriter.Tag, String)] {
        let m = recipe.metadata
        var tags: [(AudioFileWriter.Tag, String)] = [(.title, m.title), (.software, "Bounce \(version)")]
        if let artist = m.artist { tags.append((.artist, artist)) }
        if let album = m.album { tags.append((.album, album)) }
        if let year = m.year { tags.append((.date, String(year))) }
        if let isrc = m.isrc { tags.append((.comment, "ISRC \(isrc.replacingOccurrences(of: "-", with: "").uppercased())")) }
        for (key, value) in d.tags {
            switch key {
            case "title": tags.append((.title, value))
            case "artist": tags.append((.artist, value))
            case "album": tags.append((.album, value))
            case "date", "year": tags.append((.date, value))
            case "comment": tags.append((.comment, value))
            case "copyright": tags.append((.copyright, value))
            case "genre": tags.append((.genre, value))
            case "track_number", "tracknumber": tags.append((.trackNumber, value))
            default: break  // rejected by the recipe checks
            }
        }
        // Later entries override earlier ones for the same tag.
        var seen = Set<AudioFileWriter.Tag>()
        return tags.reversed().filter { seen.insert($0.0).inserted }.reversed()
    }

    /// Sample rate, channels and bit depth of the written file, as the deliverable asked.
    static func formatProblems(_ a: FileAnalysis, deliverable d: Deliverable, expectedRate: Int) -> [String] {
        var problems: [String] = []
        if a.sampleRate != expectedRate { problems.append("sample rate \(a.sampleRate) Hz, expected \(expectedRate) Hz") }
        if a.channels != 2 { problems.append("\(a.channels) channels, expected 2") }
        if !d.isLossy, let bits = a.bitDepth, bits != d.bitDepth {
            problems.append("\(bits)-bit, expected \(d.bitDepth)-bit")
        }
        return problems
    }

    static func deliveryRate(_ d: Deliverable, sessionRate: Int) -> Int {
        if d.format == .opus { return 48000 }
        var rate = d.sampleRate ?? sessionRate
        if d.neverUpsample { rate = min(rate, sessionRate) }
        return rate
    }

    static func masterAll(_ deliverables: [Deliverable], premaster: [[Float]], prepared: Prepared, naming: Naming,
                          side: Side?, plan: RenderPlan, jobs: Int) throws -> [DeliveredFile] {
        guard !deliverables.isEmpty else { return [] }
        let lock = NSLock()
        nonisolated(unsafe) var results = [Result<DeliveredFile, Error>?](repeating: nil, count: deliverables.count)
        let next = Counter()
        let workers = max(1, min(jobs, deliverables.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = next.take(below: deliverables.count) {
                let result = Result {
                    try master(deliverables[index], premaster: premaster, prepared: prepared, naming: naming, side: side,
                               plan: plan)
                }
                lock.lock()
                results[index] = result
                lock.unlock()
            }
        }
        return try results.map { try $0!.get() }
    }

    /// premaster → mastering chain → dither → encode → decode and measure; the limiter aims lower and the file is
    /// re-encoded when the measured true peak is over the ceiling (lossy codecs add overshoot), and a lossy file more
    /// than 0.1 LU off its loudness target is mastered again aiming off by the difference (at most 4 encodes).
    static func master(_ d: Deliverable, premaster: [[Float]], prepared: Prepared, naming: Naming, side: Side?,
                       plan: RenderPlan) throws -> DeliveredFile {
        let recipe = prepared.recipe
        let rate = deliveryRate(d, sessionRate: plan.sampleRate)
        var target = MasteringTarget(loudness: d.loudness, ceiling: d.truePeak, limit: d.limit, highpass: d.highpass,
                                     monoBelow: d.monoBelow, fadeOut: d.fadeOut, sampleRate: rate)
        let format = fileFormat(d)
        let values = naming.values(recipe, deliverable: d.name.value, ext: format.fileExtension)
        let url = try prepared.naming.url(values: values, distinguishing: naming.distinguishing)
        var ceilingOffset = 0.0, loudnessOffset = 0.0
        var attempt = 0
        let started = DispatchTime.now().uptimeNanoseconds
        while true {
            attempt += 1
            target.loudness = d.loudness.map { $0 + loudnessOffset }
            var signal = try Mastering.master(premaster, sessionRate: plan.sampleRate, target: target,
                                              ceilingOffset: ceilingOffset)
            if d.cueSheet {
                let padding = CueSheet.sectorPadding(frames: signal.channels[0].count)
                for c in signal.channels.indices { signal.channels[c] += [Float](repeating: 0, count: padding) }
            }
            if !d.isLossy, d.bitDepth < 32, d.dither != .none {
                var ditherer = Ditherer(mode: d.dither == .shaped ? .shaped : .tpdf, bits: d.bitDepth,
                                        channels: signal.channels.count, seed: stableSeed(d.name.value))
                ditherer.apply(&signal.channels)
            }
            let writer = try AudioFileWriter(url: url, format: format, channels: 2, sampleRate: rate,
                                             tags: tags(recipe, d), broadcast: broadcastInfo(recipe))
            do {
                try write(signal.channels, to: writer)
                try writer.commit()
            } catch {
                writer.abort()
                throw error
            }
            let analysis = try FileAnalysis.analyze(path: url.path)
            let measured = analysis.loudness
            if attempt < 4 {
                var again = false
                // Lossy codecs shift the loudness (by hundredths of an LU at 320 kbps, by most of an LU at low
                // bitrates on bright material): master again, aiming off by the measured difference.
                if d.isLossy, signal.shortfall == nil, let goal = d.loudness, measured.integratedLUFS.isFinite,
                   abs(measured.integratedLUFS - goal) > 0.1 {
                    loudnessOffset += goal - measured.integratedLUFS
                    again = true
                }
                if let ceiling = d.truePeak, measured.truePeakDBTP > ceiling {
                    // Aim lower by the overshoot (and a little more) and encode again.
                    ceilingOffset -= measured.truePeakDBTP - ceiling + 0.05
                    again = true
                }
                if again { continue }
            }
            var problems = formatProblems(analysis, deliverable: d, expectedRate: rate)
            if let goal = d.loudness {
                let deviation = measured.integratedLUFS - goal
                if !(abs(deviation) <= d.loudnessTolerance) {
                    problems.append(String(format: "integrated %.2f LUFS misses the %.1f LUFS target by %+.2f LU "
                                           + "(tolerance ±%.1f)", measured.integratedLUFS, goal, deviation,
                                           d.loudnessTolerance))
                }
            }
            if let ceiling = d.truePeak, measured.truePeakDBTP > ceiling {
                problems.append(String(format: "true peak %.2f dBTP is above the %.1f dBTP ceiling",
                                       measured.truePeakDBTP, ceiling))
            }
            if let shortfall = signal.shortfall { problems.append(shortfall) }
            var cue: URL?
            if d.cueSheet || side != nil {
                let cueURL = url.deletingPathExtension().appendingPathExtension("cue")
                var text = CueSheet.text(fileName: url.lastPathComponent, title: recipe.metadata.title,
                                         performer: recipe.metadata.artist, isrc: recipe.metadata.isrc, version: version)
                if let side {
                    // One track per section of the side, each at its start on the side.
                    var tracks: [(String, Double)] = []
                    var at: Int64 = 0
                    for name in side.sections {
                        tracks.append((name, Double(at) / Double(plan.sampleRate)))
                        at += recipe.section(named: name)?.length ?? 0
                    }
                    text = CueSheet.text(fileName: url.lastPathComponent, title: "\(recipe.metadata.title) (side \(side.name))",
                                         performer: recipe.metadata.artist, tracks: tracks, version: version)
                }
                try writeAtomically(Data(text.utf8), to: cueURL)
                cue = cueURL
            }
            var warnings: [String] = []
            if side != nil { warnings = VinylSide.warnings(seconds: analysis.durationSeconds) }
            return DeliveredFile(deliverable: d.name.value, stem: nil, url: url, analysis: analysis,
                                 target: Manifest.Target(integratedLUFS: d.loudness,
                                                         loudnessToleranceLU: d.loudness == nil ? nil : d.loudnessTolerance,
                                                         truePeakCeilingDBTP: d.truePeak),
                                 passes: signal.passes, limiterReduction: signal.limiterReduction,
                                 masteredLUFS: signal.integrated.isFinite ? signal.integrated : nil, attempts: attempt,
                                 seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9,
                                 problems: problems, failsRender: d.onMiss == .fail, cueSheet: cue,
                                 warnings: warnings)
        }
    }

    static func write(_ channels: [[Float]], to writer: AudioFileWriter) throws {
        let block = 65536
        let frames = channels[0].count
        let interleaved = UnsafeMutablePointer<Float>.allocate(capacity: block * 2)
        defer { interleaved.deallocate() }
        var start = 0
        while start < frames {
            let n = min(block, frames - start)
            for i in 0..<n {
                interleaved[2 * i] = channels[0][start + i]
                interleaved[2 * i + 1] = channels[1][start + i]
            }
            try writer.write(interleaved, frames: n)
            start += n
        }
    }

    /// `manifest.json` in the deepest folder that holds every written file.
    static func writeManifest(_ files: [DeliveredFile], prepared: Prepared) throws -> URL {
        var folder = files.first.map { $0.url.deletingLastPathComponent().pathComponents } ?? []
        for file in files.dropFirst() {
            let components = file.url.deletingLastPathComponent().pathComponents
            folder = Array(zip(folder, components).prefix { $0 == $1 }.map(\.0))
        }
        let base = folder.isEmpty ? prepared.naming.base : URL(fileURLWithPath: NSString.path(withComponents: folder))
        let recipePath = prepared.recipe.file
        let recipeHash = (try? SHA256.hex(ofFile: recipePath)) ?? ""
        var entries: [Manifest.Entry] = []
        for file in files {
            let a = file.analysis
            func finite(_ x: Double) -> Double? { x.isFinite ? (x * 1000).rounded() / 1000 : nil }
            let relative = String(file.url.path.dropFirst(base.path.count + 1))
            entries.append(Manifest.Entry(
                deliverable: file.deliverable, stem: file.stem, file: relative, sha256: try SHA256.hex(ofFile: file.url.path),
                format: a.format, sampleRate: a.sampleRate, bitDepth: a.bitDepth, channels: a.channels, frames: a.frames,
                durationSeconds: (a.durationSeconds * 1e6).rounded() / 1e6,
                integratedLUFS: finite(a.loudness.integratedLUFS), loudnessRangeLU: finite(a.loudness.loudnessRangeLU) ?? 0,
                truePeakDBTP: finite(a.loudness.truePeakDBTP), samplePeakDBFS: finite(a.loudness.samplePeakDBFS),
                target: file.target, passes: file.passes, pass: file.passed, problems: file.problems))
        }
        let manifest = Manifest(bounceVersion: version, recipe: URL(fileURLWithPath: recipePath).lastPathComponent,
                                recipeSHA256: recipeHash, files: entries)
        // A render of another arrangement or mix (from the command line) keeps its own manifest beside the main one.
        let variant = [prepared.arrangementOverride.flatMap { $0 == "full" ? nil : $0 },
                       prepared.mixOverride.flatMap { $0 == "main" ? nil : $0 }].compactMap { $0 }
        let name = variant.isEmpty ? "manifest.json"
            : "manifest - " + variant.map(OutputNaming.escape).joined(separator: " - ") + ".json"
        let url = base.appendingPathComponent(name)
        try writeAtomically(try manifest.json(), to: url)
        return url
    }
}

/// Hands out indices to worker threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}
