import AudioIO
import DSP
import RenderGraph

/// A track, bus or master: sums its inputs in plan order (each delayed as the plan's latency compensation says),
/// runs the inserts, then fader, mute and pan/balance.
final class StripNode: EngineNode, @unchecked Sendable {
    let strip: ChannelStrip
    /// The summed input, processed in place by the inserts (`processingChannels` channels). After a block it
    /// holds the post-insert, pre-fader signal, which is what sidechain keys read.
    let input: AudioBuffer
    /// Pre-fader tap (stereo, panned), for pre-fader sends and sidechain keys.
    let preFader: AudioBuffer?
    private let left: Float, right: Float
    private let preLeft: Float, preRight: Float
    private var sources: [DelayedInput] = []
    private var processors: [any AudioProcessor] = []
    private var keys: [DelayedInput?] = []
    private var direct: AudioBuffer?
    /// Fader, mute and pan automation, and per-sample scratch for them (nil when the strip has none).
    private let gainReader: AutomationReader?, muteReader: AutomationReader?, panReader: AutomationReader?
    private let values: UnsafeMutablePointer<Double>
    private let sideGains: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)
    /// Per insert: its automated parameters; and the chunk buffers automated inserts are processed through.
    private let parameterReaders: [[(parameter: ProcessorParameter, reader: AutomationReader)]]
    private var parameterValues: [[Double]]
    private let chunk: AudioBuffer, chunkKey: AudioBuffer

    init(name: String, strip: ChannelStrip, sampleRate: Int, blockSize: Int, playback: Playback?) throws(AudioIOError) {
        self.strip = strip
        input = AudioBuffer(channels: strip.processingChannels, capacity: blockSize)
        preFader = strip.hasPreFaderTap ? AudioBuffer(channels: 2, capacity: blockSize) : nil
        // Fader and pan fold into one gain per side, computed in Double and rounded to Float once.
        left = Float(strip.gain * strip.panLeft)
        right = Float(strip.gain * strip.panRight)
        preLeft = Float(strip.panLeft)
        preRight = Float(strip.panRight)
        let spec = ProcessSpec(sampleRate: Double(sampleRate), maxBlockSize: blockSize, channels: strip.processingChannels)
        for insert in strip.inserts {
            var processor = try ProcessorFactory.make(insert.configuration, sampleRate: sampleRate)
            _ = processor.prepare(spec)
            processors.append(processor)
        }
        gainReader = strip.gainAutomation.map { AutomationReader($0, playback: playback) }
        muteReader = strip.muteAutomation.map { AutomationReader($0, playback: playback) }
        panReader = strip.panAutomation.map { AutomationReader($0, playback: playback) }
        values = .allocate(capacity: blockSize)
        sideGains = (.allocate(capacity: blockSize), .allocate(capacity: blockSize))
        parameterReaders = strip.inserts.map { insert in
            insert.automation.map { ($0.parameter, AutomationReader($0.envelope, playback: playback)) }
        }
        parameterValues = strip.inserts.map { [Double](repeating: .nan, count: $0.automation.count) }
        chunk = AudioBuffer(channels: strip.processingChannels, capacity: ProcessorParameter.updateInterval)
        chunkKey = AudioBuffer(channels: 2, capacity: ProcessorParameter.updateInterval)
        super.init(name: name, output: AudioBuffer(channels: 2, capacity: blockSize))
    }

    deinit {
        values.deallocate()
        sideGains.0.deallocate()
        sideGains.1.deallocate()
    }

    private var hasFaderAutomation: Bool { gainReader != nil || muteReader != nil || panReader != nil }

    /// Sets the inputs to sum (plan order) and the sidechain keys (one per insert, nil when unkeyed).
    /// Called once, before rendering.
    func connect(inputs: [DelayedInput], keys: [DelayedInput?]) {
        sources = inputs
        self.keys = keys
        // A track with no inserts, no pre-fader tap or key, fed by one undelayed source at unity, can read that
        // source directly instead of copying it into `input` first (the same arithmetic, one pass less).
        if inputs.count == 1, let only = inputs.first, only.isDirect, only.gain == 1, !only.isAutomated,
           only.source.channelCount == input.channelCount, processors.isEmpty, preFader == nil, !strip.mute,
           !hasFaderAutomation {
            direct = only.source
        }
    }

    override func render(start: Int64, frames: Int) {
        mix(start: start, frames: frames)
        sanitiseOutput(start: start, frames: frames)
    }

    private func mix(start: Int64, frames: Int) {
        var mark = nanos()
        if let direct {
            SignalKernels.scale(direct[0], by: left, into: output[0], count: frames)
            SignalKernels.scale(direct[direct.channelCount - 1], by: right, into: output[1], count: frames)
            sumNanos += nanos() - mark
            return
        }
        // The first source is written, the others added, in plan order (no clearing pass).
        if sources.isEmpty { input.clear(count: frames) }
        for (index, source) in sources.enumerated() {
            let buffer = source.read(start: start, frames: frames)
            for c in 0..<input.channelCount {
                // A mono source (only ever a track's own stem) feeds every channel.
                let from = buffer[min(c, buffer.channelCount - 1)], into = input[c]
                switch (source.isAutomated, index == 0) {
                case (true, true):
                    let gains = source.gains
                    for i in 0..<frames { into[i] = from[i] * gains[i] }
                case (true, false):
                    let gains = source.gains
                    for i in 0..<frames { into[i] += from[i] * gains[i] }
                case (false, true): SignalKernels.scale(from, by: source.gain, into: into, count: frames)
                case (false, false): SignalKernels.accumulate(from, gain: source.gain, into: into, count: frames)
                }
            }
        }
        if strip.mute {
            // A muted strip is silent everywhere: output, pre-fader sends and as a sidechain key.
            input.clear(count: frames)
            output.clear(count: frames)
            preFader?.clear(count: frames)
            return
        }
        if !processors.isEmpty {
            let now = nanos()
            sumNanos += now - mark
            mark = now
            for index in processors.indices {
                let key = keys[index]?.read(start: start, frames: frames)
                if parameterReaders[index].isEmpty {
                    processors[index].process(input, frames: frames, sidechain: key)
                } else {
                    processAutomated(index, start: start, frames: frames, key: key)
                }
            }
            // Processors are where NaN is born: catch it here, before the fader and the pre-fader tap.
            sanitise(input, start: start, frames: frames)
            let after = nanos()
            dspNanos += after - mark
            mark = after
        }
        defer { sumNanos += nanos() - mark }
        let inLeft = input[0], inRight = input[input.channelCount - 1]
        if hasFaderAutomation {
            applyAutomatedFader(start: start, frames: frames, inLeft: inLeft, inRight: inRight)
            return
        }
        SignalKernels.scale(inLeft, by: left, into: output[0], count: frames)
        SignalKernels.scale(inRight, by: right, into: output[1], count: frames)
        if let preFader {
            SignalKernels.scale(inLeft, by: preLeft, into: preFader[0], count: frames)
            SignalKernels.scale(inRight, by: preRight, into: preFader[1], count: frames)
        }
    }
}

extension StripNode {
    /// Fader × mute × pan per sample, from the automation (static values where a lane is absent).
    private func applyAutomatedFader(start: Int64, frames: Int, inLeft: UnsafeMutablePointer<Float>,
                                     inRight: UnsafeMutablePointer<Float>) {
        let (l, r) = sideGains
        // Pan first: per-sample law gains (the pre-fader tap is panned too). Where a lane holds one value over the
        // block (most blocks), its gains are computed once.
        let balance = strip.role == .bus
        func panGains(_ pan: Double) -> (left: Double, right: Double) {
            balance ? strip.panCurve.balance(pan: pan) : strip.panCurve.gains(pan: pan)
        }
        if let panReader, panReader.fill(start: start, frames: frames, into: values) == nil {
            for i in 0..<frames {
                let g = panGains(values[i])
                l[i] = Float(g.left)
                r[i] = Float(g.right)
            }
        } else {
            let g = panReader == nil ? (strip.panLeft, strip.panRight) : panGains(values[0])
            l.update(repeating: Float(g.0), count: frames)
            r.update(repeating: Float(g.1), count: frames)
        }
        if let muteReader {
            if let constant = muteReader.fill(start: start, frames: frames, into: values) {
                if constant != 1 { for i in 0..<frames { l[i] *= Float(constant); r[i] *= Float(constant) } }
            } else {
                for i in 0..<frames { l[i] *= Float(values[i]); r[i] *= Float(values[i]) }
            }
        }
        if let preFader {
            for i in 0..<frames { preFader[0][i] = inLeft[i] * l[i]; preFader[1][i] = inRight[i] * r[i] }
        }
        if let gainReader, gainReader.fill(start: start, frames: frames, into: values) == nil {
            for i in 0..<frames {
                let g = Float(Decibels.toLinear(values[i]))
                l[i] *= g
                r[i] *= g
            }
        } else {
            let g = gainReader == nil ? Float(strip.gain) : Float(Decibels.toLinear(values[0]))
            for i in 0..<frames { l[i] *= g; r[i] *= g }
        }
        let outLeft = output[0], outRight = output[1]
        for i in 0..<frames {
            outLeft[i] = inLeft[i] * l[i]
            outRight[i] = inRight[i] * r[i]
        }
    }

    /// Runs an automated insert: parameters move on the fixed 32-frame grid of engine frames (so the result
    /// never depends on the block size); between grid points the processor runs on whole stretches.
    private func processAutomated(_ index: Int, start: Int64, frames: Int, key: AudioBuffer?) {
        let interval = Int64(ProcessorParameter.updateInterval)
        // Nothing moves over this block and the processor already has these values: one call, as unautomated.
        // (Values start as NaN, so the first block always goes the long way and sets every parameter.)
        if parameterReaders[index].indices.allSatisfy({ lane in
            parameterReaders[index][lane].reader.constantValue(start: start, frames: frames) == parameterValues[index][lane]
        }) {
            processors[index].process(input, frames: frames, sidechain: key)
            return
        }
        var offset = 0
        while offset < frames {
            let frame = start + Int64(offset)
            let nextGrid = (frame / interval + 1) * interval
            let count = Int(min(Int64(frames - offset), nextGrid - frame))
            if frame % interval == 0 {
                for (lane, entry) in parameterReaders[index].enumerated() {
                    let value = entry.reader.value(atEngineFrame: frame)
                    if value != parameterValues[index][lane] {
                        processors[index].set(entry.parameter, to: value)
                        parameterValues[index][lane] = value
                    }
                }
            }
            for c in 0..<input.channelCount { chunk[c].update(from: input[c] + offset, count: count) }
            if let key {
                // A mono key feeds both channels (the detectors link channels by their maximum: the same level).
                for c in 0..<chunkKey.channelCount {
                    chunkKey[c].update(from: key[min(c, key.channelCount - 1)] + offset, count: count)
                }
            }
            processors[index].process(chunk, frames: count, sidechain: key == nil ? nil : chunkKey)
            for c in 0..<input.channelCount { (input[c] + offset).update(from: chunk[c], count: count) }
            offset += count
        }
    }
}

/// Another node's buffer as an input: read directly, or through a delay line when latency compensation delays it.
final class DelayedInput: @unchecked Sendable {
    let source: AudioBuffer
    let gain: Float
    private let line: DelayLine?
    /// Whether `read` returns the source buffer itself (no compensation delay).
    var isDirect: Bool { line == nil }
    private let scratch: AudioBuffer?
    /// Send-level automation (dB): per-sample gains for the block just read replace `gain`.
    private let automation: AutomationReader?
    let gains: UnsafeMutablePointer<Float>
    private let decibels: UnsafeMutablePointer<Double>
    var isAutomated: Bool { automation != nil }

    init(source: AudioBuffer, gain: Float, delay: Int, blockSize: Int, automation: AutomationReader? = nil) {
        self.source = source
        self.gain = gain
        self.automation = automation
        gains = .allocate(capacity: automation == nil ? 1 : blockSize)
        decibels = .allocate(capacity: automation == nil ? 1 : blockSize)
        if delay > 0 {
            line = DelayLine(channels: source.channelCount, delay: delay)
            scratch = AudioBuffer(channels: source.channelCount, capacity: blockSize)
        } else {
            line = nil
            scratch = nil
        }
    }

    deinit {
        gains.deallocate()
        decibels.deallocate()
    }

    /// This block of the source, delayed if needed (and, when automated, `gains` for it). Called once per block by
    /// the one node that owns it.
    func read(start: Int64, frames: Int) -> AudioBuffer {
        if let automation {
            if let constant = automation.fill(start: start, frames: frames, into: decibels) {
                gains.update(repeating: Float(Decibels.toLinear(constant)), count: frames)
            } else {
                for i in 0..<frames { gains[i] = Float(Decibels.toLinear(decibels[i])) }
            }
        }
        guard let line, let scratch else { return source }
        for c in 0..<source.channelCount { scratch[c].update(from: source[c], count: frames) }
        line.process(scratch, frames: frames)
        return scratch
    }
}
