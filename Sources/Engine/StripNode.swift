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

    init(name: String, strip: ChannelStrip, sampleRate: Int, blockSize: Int) throws(AudioIOError) {
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
        super.init(name: name, output: AudioBuffer(channels: 2, capacity: blockSize))
    }

    /// Sets the inputs to sum (plan order) and the sidechain keys (one per insert, nil when unkeyed).
    /// Called once, before rendering.
    func connect(inputs: [DelayedInput], keys: [DelayedInput?]) {
        sources = inputs
        self.keys = keys
        // A track with no inserts, no pre-fader tap or key, fed by one undelayed source at unity, can read that
        // source directly instead of copying it into `input` first (the same arithmetic, one pass less).
        if inputs.count == 1, let only = inputs.first, only.isDirect, only.gain == 1,
           only.source.channelCount == input.channelCount, processors.isEmpty, preFader == nil, !strip.mute {
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
        input.clear(count: frames)
        for source in sources {
            let buffer = source.read(frames: frames)
            for c in 0..<input.channelCount {
                // A mono source (only ever a track's own stem) feeds every channel.
                SignalKernels.accumulate(buffer[min(c, buffer.channelCount - 1)], gain: source.gain, into: input[c],
                                         count: frames)
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
                let key = keys[index]?.read(frames: frames)
                processors[index].process(input, frames: frames, sidechain: key)
            }
            // Processors are where NaN is born: catch it here, before the fader and the pre-fader tap.
            sanitise(input, start: start, frames: frames)
            let after = nanos()
            dspNanos += after - mark
            mark = after
        }
        defer { sumNanos += nanos() - mark }
        let inLeft = input[0], inRight = input[input.channelCount - 1]
        SignalKernels.scale(inLeft, by: left, into: output[0], count: frames)
        SignalKernels.scale(inRight, by: right, into: output[1], count: frames)
        if let preFader {
            SignalKernels.scale(inLeft, by: preLeft, into: preFader[0], count: frames)
            SignalKernels.scale(inRight, by: preRight, into: preFader[1], count: frames)
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

    init(source: AudioBuffer, gain: Float, delay: Int, blockSize: Int) {
        self.source = source
        self.gain = gain
        if delay > 0 {
            line = DelayLine(channels: source.channelCount, delay: delay)
            scratch = AudioBuffer(channels: source.channelCount, capacity: blockSize)
        } else {
            line = nil
            scratch = nil
        }
    }

    /// This block of the source, delayed if needed. Called once per block by the one node that owns it.
    func read(frames: Int) -> AudioBuffer {
        guard let line, let scratch else { return source }
        for c in 0..<source.channelCount { scratch[c].update(from: source[c], count: frames) }
        line.process(scratch, frames: frames)
        return scratch
    }
}
