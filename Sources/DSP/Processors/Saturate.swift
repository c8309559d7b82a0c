import Foundation

/// saturate: a static waveshaper run at 4× the session rate, mixed with the (latency-aligned) dry signal.
///
/// Parameters: `drive` dB (0…+36, default +6): gain into the curve; `mix` fraction (0…1, default 1);
/// `type` tape | tube | hard (default tape):
/// - tape: y = tanh(x), symmetric soft clip (odd harmonics; `FastTanh`, within 3.5e-7 of tanh);
/// - tube: y = (tanh(x + b) − tanh b) / (1 − tanh² b), b = 0.2: asymmetric soft clip with unit slope at 0 (even and
///   odd harmonics), followed by a DC blocker (1st-order highpass at 5 Hz) on the wet signal;
/// - hard: y = clamp(x, −1, 1).
/// The curve sees `drive · x`; there is no output compensation (quiet signals come out `drive` louder).
/// Latency: the oversampler's (46 samples, any rate). Tail: the latency again (the filters' ring after the
/// aligned output), plus the DC blocker's ring time to −100 dB for tube.
public struct Saturate: AudioProcessor {
    public var parameters: SaturateParameters
    private var oversampler: Oversampler?
    /// Per channel: the DC blocker's previous input and output.
    private var dcState: FilterState?
    private var dcPole = 0.0

    public init(_ parameters: SaturateParameters) { self.parameters = parameters }

    /// The DC blocker's corner (tube only).
    public static let dcBlockerFrequency = 5.0
    /// The tube curve's bias.
    public static let tubeBias: Float = 0.2

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        let oversampler = Oversampler(channels: spec.channels, maxBlockSize: spec.maxBlockSize)
        self.oversampler = oversampler
        dcState = FilterState(count: 2 * spec.channels)
        dcPole = exp(-2 * Double.pi * Self.dcBlockerFrequency / spec.sampleRate)
        var tail = oversampler.latency
        if parameters.type == .tube { tail += Int((log(1e-5) / log(dcPole)).rounded(.up)) }
        return ProcessorTraits(latency: oversampler.latency, tail: tail)
    }

    /// Automation of `drive` (dB) or `mix` (both read per block; the dry path is always kept aligned).
    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {
        switch parameter {
        case .drive: parameters.drive = value
        case .mix: parameters.mix = min(1, max(0, value))
        default: return
        }
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let oversampler, let dcState else { return }
        let drive = Float(Decibels.toLinear(parameters.drive))
        for c in 0..<min(io.channelCount, oversampler.channels.count) {
            let channel = oversampler.channels[c]
            var start = 0
            while start < frames {
                // One oversampler chunk at a time, so `channel.dry` holds the matching dry samples.
                let n = min(oversampler.chunk, frames - start), x = io[c] + start
                switch parameters.type {
                case .tape: oversampler.process(channel, x, frames: n) { Self.tape($0, $1, drive) }
                case .tube: oversampler.process(channel, x, frames: n) { Self.tube($0, $1, drive) }
                case .hard: oversampler.process(channel, x, frames: n) { Self.hard($0, $1, drive) }
                }
                if parameters.type == .tube { blockDC(x, n, dcState.values + 2 * c) }
                mix(x, channel.dry, n)
                start += n
            }
        }
    }

    static func tape(_ x: UnsafeMutablePointer<Float>, _ count: Int, _ drive: Float) {
        for i in 0..<count { x[i] = FastTanh.tanh(drive * x[i]) }
    }

    static func tube(_ x: UnsafeMutablePointer<Float>, _ count: Int, _ drive: Float) {
        let b = tubeBias, t = FastTanh.tanh(b), scale = 1 / (1 - t * t)
        for i in 0..<count { x[i] = (FastTanh.tanh(drive * x[i] + b) - t) * scale }
    }

    static func hard(_ x: UnsafeMutablePointer<Float>, _ count: Int, _ drive: Float) {
        for i in 0..<count {
            let v = drive * x[i]
            x[i] = v < -1 ? -1 : (v > 1 ? 1 : v)
        }
    }

    /// H(z) = (1 + r)/2 · (1 − z⁻¹) / (1 − r·z⁻¹): unity at Nyquist, zero at DC. `state`: previous input, output.
    private func blockDC(_ x: UnsafeMutablePointer<Float>, _ n: Int, _ state: UnsafeMutablePointer<Double>) {
        let r = dcPole, gain = (1 + r) / 2
        var x1 = state[0], y1 = state[1]
        for i in 0..<n {
            let input = Double(x[i])
            y1 = BiquadKernel.flush(gain * (input - x1) + r * y1)
            x1 = input
            x[i] = Float(y1)
        }
        state[0] = x1
        state[1] = y1
    }

    private func mix(_ x: UnsafeMutablePointer<Float>, _ dry: UnsafeMutablePointer<Float>, _ n: Int) {
        let wet = Float(parameters.mix), dryGain = Float(1 - parameters.mix)
        if dryGain == 0 { return }
        for i in 0..<n { x[i] = x[i] * wet + dry[i] * dryGain }
    }

    public mutating func reset() {
        oversampler?.reset()
        dcState?.reset()
    }
}

public struct SaturateParameters: Sendable, Equatable, Codable {
    public enum Curve: String, Sendable, Equatable, Codable, CaseIterable { case tape, tube, hard }

    /// dB into the curve.
    public var drive: Double
    /// Wet fraction 0…1.
    public var mix: Double
    public var type: Curve

    public init(drive: Double = 6, mix: Double = 1, type: Curve = .tape) {
        self.drive = drive
        self.mix = mix
        self.type = type
    }
}
