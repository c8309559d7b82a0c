import DSP
import RenderGraph

/// A track, bus or master: sums its inputs in plan order, then fader, mute and pan/balance.
final class StripNode: EngineNode, @unchecked Sendable {
    let strip: ChannelStrip
    /// The summed input (1 channel for a track on a mono stem, else 2).
    let input: AudioBuffer
    /// Pre-fader send tap (stereo, panned), only when a pre-fader send reads it.
    let preFader: AudioBuffer?
    private let left: Float, right: Float
    private let preLeft: Float, preRight: Float
    /// The inputs in plan order, resolved once by the engine.
    private var sources: [(buffer: AudioBuffer, gain: Float)] = []

    init(name: String, strip: ChannelStrip, blockSize: Int) {
        self.strip = strip
        input = AudioBuffer(channels: strip.inputChannels, capacity: blockSize)
        preFader = strip.hasPreFaderTap ? AudioBuffer(channels: 2, capacity: blockSize) : nil
        // Fader and pan fold into one gain per side, computed in Double and rounded to Float once.
        left = Float(strip.gain * strip.panLeft)
        right = Float(strip.gain * strip.panRight)
        preLeft = Float(strip.panLeft)
        preRight = Float(strip.panRight)
        super.init(name: name, output: AudioBuffer(channels: 2, capacity: blockSize))
    }

    /// Sets the inputs (buffer, gain) to sum, in plan order. Called once, before rendering.
    func connect(_ sources: [(buffer: AudioBuffer, gain: Float)]) {
        self.sources = sources
    }

    /// Sums the inputs in plan order, then produces the outputs.
    override func render(start: Int64, frames: Int) {
        mix(frames: frames)
        sanitiseOutput(start: start, frames: frames)
    }

    private func mix(frames: Int) {
        input.clear(count: frames)
        for (buffer, gain) in sources {
            for c in 0..<input.channelCount {
                // A mono source (only ever a track's own stem) has one channel; a stereo input reads both.
                SignalKernels.accumulate(buffer[min(c, buffer.channelCount - 1)], gain: gain, into: input[c],
                                         count: frames)
            }
        }
        if strip.mute {
            output.clear(count: frames)
            preFader?.clear(count: frames)
            return
        }
        let inLeft = input[0], inRight = input[input.channelCount - 1]
        SignalKernels.scale(inLeft, by: left, into: output[0], count: frames)
        SignalKernels.scale(inRight, by: right, into: output[1], count: frames)
        if let preFader {
            SignalKernels.scale(inLeft, by: preLeft, into: preFader[0], count: frames)
            SignalKernels.scale(inRight, by: preRight, into: preFader[1], count: frames)
        }
    }
}
