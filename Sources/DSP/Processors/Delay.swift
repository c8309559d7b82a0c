import Foundation

/// delay: a feedback echo (tempo-synced or free time), optionally ping-pong, with a lowpass in the feedback path.
///
/// Parameters:
/// - `time` (seconds, 1 ms … 4 s, required; the recipe also accepts note values such as `1/8`, `1/4.`, `1/8t`,
///   converted from the session tempo): rounded to the nearest whole sample (no interpolation: exact, deterministic
///   echoes).
/// - `feedback` (fraction 0 … 0.99, default 0.3): gain from each echo to the next.
/// - `mix` (fraction 0 … 1, default 0.3): output = (1 − mix)·input + mix·echoes.
/// - `lowpass` (Hz, default off): first-order lowpass (bilinear, −3 dB at the frequency) in the feedback path, so
///   echo k (k = 0 the first) is filtered k times.
/// - `pingpong` (default false): the input's mono sum feeds the left line, each line feeds the other: echoes
///   alternate left, right, left… (needs two channels).
///
/// Echo k (k = 0, 1, …) arrives k+1 delay times after the input, at mix·feedback^k.
/// Latency 0. Tail: until an echo falls below −90 dB of the input (mix·feedback^k < 10^(−90/20)), at most 30 s.
public struct Delay: AudioProcessor {
    public var parameters: DelayParameters
    private var state: EchoLines?
    private var coefficients = DelayCoefficients(samples: 1, feedback: 0, dry: 1, wet: 0, filter: nil)

    private var sampleRate = 48000.0

    public init(_ parameters: DelayParameters) { self.parameters = parameters }

    /// Automation of `mix` or `feedback` (the time never moves: the lines keep their length). The declared tail
    /// follows the static parameters.
    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {
        switch parameter {
        case .mix: parameters.mix = min(1, max(0, value))
        case .feedback: parameters.feedback = min(0.99, max(0, value))
        default: return
        }
        let samples = coefficients.samples
        coefficients = DelayCoefficients(parameters, sampleRate: sampleRate)
        coefficients.samples = samples
    }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        sampleRate = spec.sampleRate
        coefficients = DelayCoefficients(parameters, sampleRate: spec.sampleRate)
        state = EchoLines(channels: spec.channels, length: coefficients.samples)
        return ProcessorTraits(latency: 0, tail: Self.tail(parameters, sampleRate: spec.sampleRate))
    }

    public mutating func reset() { state?.reset() }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let state else { return }
        if parameters.pingpong && io.channelCount == 2 {
            state.processPingPong(io[0], io[1], frames: frames, coefficients)
        } else {
            for c in 0..<min(io.channelCount, state.channels) {
                state.process(io[c], channel: c, frames: frames, coefficients)
            }
        }
    }

    /// Samples until the echoes fall below −90 dB of the input, capped at 30 s.
    public static func tail(_ parameters: DelayParameters, sampleRate: Double) -> Int {
        let samples = DelayCoefficients.samples(parameters.time, sampleRate: sampleRate)
        let floor = pow(10, -90.0 / 20)
        let cap = Int((30 * sampleRate).rounded())
        guard parameters.mix > floor else { return 0 }
        guard parameters.feedback > 0 else { return min(cap, samples) }
        // Echoes k = 0 … last are at or above the floor: mix·fb^k ≥ floor.
        let last = (log(floor / parameters.mix) / log(parameters.feedback)).rounded(.down)
        let echoes = min(Double(cap), last + 1)
        return min(cap, Int(echoes) * samples)
    }
}

/// The delay's settings in canonical units.
public struct DelayParameters: Sendable, Equatable, Codable {
    /// Seconds.
    public var time: Double
    /// Fraction 0…0.99.
    public var feedback: Double
    /// Fraction 0…1.
    public var mix: Double
    /// Hz; nil: no filter.
    public var lowpass: Double?
    public var pingpong: Bool

    public init(time: Double, feedback: Double = 0.3, mix: Double = 0.3, lowpass: Double? = nil,
                pingpong: Bool = false) {
        self.time = time
        self.feedback = feedback
        self.mix = mix
        self.lowpass = lowpass
        self.pingpong = pingpong
    }
}

/// Everything the sample loop needs, derived from the parameters (cheap enough to derive per sample later, when
/// automation arrives).
public struct DelayCoefficients: Sendable, Equatable {
    public var samples: Int
    public var feedback: Double
    public var dry: Double
    public var wet: Double
    /// First-order lowpass (b0 = b1, a1), or nil.
    public var filter: OnePoleLowpass?

    public init(samples: Int, feedback: Double, dry: Double, wet: Double, filter: OnePoleLowpass?) {
        self.samples = samples
        self.feedback = feedback
        self.dry = dry
        self.wet = wet
        self.filter = filter
    }

    public init(_ parameters: DelayParameters, sampleRate: Double) {
        self.init(samples: Self.samples(parameters.time, sampleRate: sampleRate), feedback: parameters.feedback,
                  dry: 1 - parameters.mix, wet: parameters.mix,
                  filter: parameters.lowpass.map { OnePoleLowpass(frequency: $0, sampleRate: sampleRate) })
    }

    /// The delay in whole samples: time × rate rounded to nearest, at least 1.
    public static func samples(_ time: Double, sampleRate: Double) -> Int {
        max(1, Int((time * sampleRate).rounded()))
    }
}

/// First-order lowpass by the bilinear transform of ωc/(s + ωc), prewarped so the response is exactly −3.01 dB at
/// `frequency`: H(z) = b0·(1 + z⁻¹)/(1 + a1·z⁻¹), b0 = K/(1+K), a1 = (K−1)/(K+1), K = tan(π f/fs).
public struct OnePoleLowpass: Sendable, Equatable {
    public var b0: Double
    public var a1: Double

    public init(frequency: Double, sampleRate: Double) {
        let k = tan(Double.pi * frequency / sampleRate)
        b0 = k / (1 + k)
        a1 = (k - 1) / (k + 1)
    }
}
