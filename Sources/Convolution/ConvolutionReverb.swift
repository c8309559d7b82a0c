import DSP

/// reverb with `ir:` — convolution with a recorded impulse response, uniformly partitioned in the frequency
/// domain (KissFFT).
///
/// Parameters (`ConvolutionReverbParameters`): `predelay` (s, 0 … 0.5; default 0 with an IR), `mix` (fraction,
/// default 1): output = (1 − mix)·input + mix·(input ∗ IR), the dry signal delayed to line up with the wet one.
/// The IR is applied at its recorded level (no normalisation).
///
/// IR channels: 1 — the same IR on every channel; 2 — left IR on the left channel, right IR on the right;
/// 4 — true stereo, channels in the order L→L, L→R, R→L, R→R (left out = inL∗h₁ + inR∗h₃, right out =
/// inL∗h₂ + inR∗h₄). A stereo or true-stereo IR needs two channels (the compiler upmixes a mono track).
///
/// Latency: one partition (`ConvolutionReverbParameters.partitionSize` samples); the graph compensates.
/// Tail: the IR's length at the session rate plus the predelay.
public struct ConvolutionReverb: AudioProcessor {
    public var parameters: ConvolutionReverbParameters
    /// The IR at the session rate, planar.
    public let impulse: [[Float]]
    public let blockSize: Int
    private var engine: PartitionedConvolution?
    private var dryLine: DelayLine?
    private var scratch: AudioBuffer?

    /// - Parameters:
    ///   - impulse: the IR's channels (1, 2 or 4), already at the session rate.
    ///   - blockSize: partition size (latency); the default is what `ConvolutionReverbParameters.traits` declares.
    public init(_ parameters: ConvolutionReverbParameters, impulse: [[Float]],
                blockSize: Int = ConvolutionReverbParameters.partitionSize) {
        precondition(ImpulseResponseFile.supportedChannels.contains(impulse.count), "IRs have 1, 2 or 4 channels")
        self.parameters = parameters
        self.impulse = impulse
        self.blockSize = blockSize
    }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        let channels = spec.channels
        var routes: [PartitionedConvolution.Route] = []
        switch (impulse.count, channels) {
        case (4, 2):
            routes = [.init(input: 0, output: 0, impulse: 0), .init(input: 0, output: 1, impulse: 1),
                      .init(input: 1, output: 0, impulse: 2), .init(input: 1, output: 1, impulse: 3)]
        case (2, 2):
            routes = [.init(input: 0, output: 0, impulse: 0), .init(input: 1, output: 1, impulse: 1)]
        default:
            // Mono IR on every channel (or, defensively, a multichannel IR's first channel on a mono chain).
            routes = (0..<channels).map { .init(input: $0, output: $0, impulse: 0) }
        }
        let used = Set(routes.map(\.impulse)).sorted()
        let impulses = used.map { impulse[$0] }
        routes = routes.map { .init(input: $0.input, output: $0.output, impulse: used.firstIndex(of: $0.impulse)!) }
        engine = PartitionedConvolution(impulses: impulses,
                                        leadingZeros: parameters.predelaySamples(sampleRate: spec.sampleRate),
                                        routes: routes, inputs: channels, outputs: channels, blockSize: blockSize)
        dryLine = parameters.mix < 1 ? DelayLine(channels: channels, delay: blockSize) : nil
        scratch = parameters.mix < 1 ? AudioBuffer(channels: channels, capacity: max(1, spec.maxBlockSize)) : nil
        let length = impulse.map(\.count).max() ?? 0
        return ProcessorTraits(latency: blockSize, tail: length + parameters.predelaySamples(sampleRate: spec.sampleRate))
    }

    public mutating func reset() {
        engine?.reset()
        dryLine?.reset()
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let engine else { return }
        guard let dryLine, let scratch else {
            engine.process(io, offset: 0, frames: frames)
            return
        }
        let dry = Float(1 - parameters.mix), wet = Float(parameters.mix)
        var done = 0
        while done < frames {
            let n = min(frames - done, scratch.capacity)
            for c in 0..<engine.inputs { scratch[c].update(from: io[c] + done, count: n) }
            dryLine.process(scratch, frames: n)
            engine.process(io, offset: done, frames: n)
            for c in 0..<engine.inputs {
                let out = io[c] + done, delayed = scratch[c]
                for i in 0..<n { out[i] = dry * delayed[i] + wet * out[i] }
            }
            done += n
        }
    }
}
