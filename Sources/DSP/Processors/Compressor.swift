import Foundation

/// compressor: feed-forward, stereo-linked compressor with soft knee, look-ahead and parallel mix.
///
/// Parameters (recipe units):
/// - `threshold` dB, −60…0, default −18; `ratio` 1…100 (`4` or `4:1`), default 4; `knee` dB, 0…24, default 6.
///   The static curve is `CompressorCurve` (Giannoulis, Massberg & Reiss 2012, eq. 4).
/// - `attack` s, 0…1, default 10 ms; `release` s, 0…5, default 100 ms: time constants of the gain reduction.
///   It is smoothed in dB by the "smooth branching peak detector" placed after the gain computer (the paper's
///   log-domain design): α = exp(−1/(τ·fs)), so a step in reduction is covered to 1 − 1/e after τ.
/// - `makeup` dB (−24…+24, default 0) or `auto` = `CompressorCurve.autoMakeup` (half the reduction at 0 dBFS).
/// - `detector` `peak` (|x| per sample) or `rms` (mean square through a one-pole low-pass, τ = 10 ms). Linked:
///   the larger of the channels' levels (the key's channels when keyed) drives one gain for all channels.
/// - `lookahead` s, 0…0.02, default 0: the audio is delayed by round(lookahead·fs) samples, the detector is not.
/// - `mix` fraction 0…1, default 1: out = delayed dry · (mix·gain + 1 − mix) (parallel compression).
/// - `sidechain` (engine): the key replaces the input as detector signal. `sidechain_highpass` Hz (0 = off,
///   default): a 12 dB/oct Butterworth high-pass on the detector input only.
/// Latency: the look-ahead in samples. Tail: 0 (silence in, silence out).
public struct Compressor: AudioProcessor {
    public var parameters: CompressorParameters
    private var derived = Derived()
    private var state: CompressorState?
    /// Smoothed gain reduction (dB, ≥ 0) and per-channel mean squares (rms detector).
    private var reduction = 0.0
    private var meanSquare0 = 0.0, meanSquare1 = 0.0
    private var highpass0 = DetectorHighpass(frequency: 0, sampleRate: 1)
    private var highpass1 = DetectorHighpass(frequency: 0, sampleRate: 1)

    public init(_ parameters: CompressorParameters) { self.parameters = parameters }

    /// Everything `process` needs, derived from the parameters and the sample rate (callable per sample later).
    struct Derived {
        var curve = CompressorCurve(threshold: 0, ratio: 1, knee: 0)
        var attack = 0.0, release = 0.0, rmsCoefficient = 0.0
        var makeup = 0.0
        var makeupGain: Float = 1
        var mix: Float = 1
        var isRMS = false
        var latency = 0

        init() {}

        init(_ p: CompressorParameters, sampleRate: Double) {
            curve = CompressorCurve(threshold: p.threshold, ratio: p.ratio, knee: p.knee)
            attack = DynamicsMath.coefficient(seconds: p.attack, sampleRate: sampleRate)
            release = DynamicsMath.coefficient(seconds: p.release, sampleRate: sampleRate)
            rmsCoefficient = DynamicsMath.coefficient(seconds: CompressorParameters.rmsTime, sampleRate: sampleRate)
            switch p.makeup {
            case .decibels(let value): makeup = value
            case .auto: makeup = curve.autoMakeup
            }
            // The same Float arithmetic as pass 4 of `computeGains`, so a reduction of 0 changes nothing.
            makeupGain = DynamicsMath.fastExp2(Float(makeup) * Float(1 / DynamicsMath.decibelsPerLog2))
            mix = Float(min(1, max(0, p.mix)))
            isRMS = p.detector == .rms
            latency = Int((p.lookahead * sampleRate).rounded())
        }
    }

    private var sampleRate = 48000.0

    /// Automation of threshold, ratio, makeup (dB) or mix: the derived values are recomputed, state kept; the
    /// look-ahead never moves (it is the processor's latency).
    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {
        switch parameter {
        case .threshold: parameters.threshold = value
        case .ratio: parameters.ratio = max(1, value)
        case .makeup: parameters.makeup = .decibels(value)
        case .mix: parameters.mix = value
        default: return
        }
        let latency = derived.latency
        derived = Derived(parameters, sampleRate: sampleRate)
        derived.latency = latency
    }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        sampleRate = spec.sampleRate
        derived = Derived(parameters, sampleRate: spec.sampleRate)
        let cutoff = parameters.sidechainHighpass ?? 0
        highpass0 = DetectorHighpass(frequency: cutoff, sampleRate: spec.sampleRate)
        highpass1 = highpass0
        state = CompressorState(channels: spec.channels, capacity: spec.maxBlockSize, delay: derived.latency)
        reset()
        return ProcessorTraits(latency: derived.latency, tail: 0)
    }

    public mutating func reset() {
        reduction = 0
        meanSquare0 = 0
        meanSquare1 = 0
        highpass0.reset()
        highpass1.reset()
        state?.delay.reset()
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let state else { return }
        let key = sidechain ?? io
        var done = 0
        while done < frames {
            let count = min(frames - done, state.capacity)
            computeGains(key: key, offset: done, count: count, into: state.gains)
            for c in 0..<io.channelCount {
                let samples = io[c] + done
                state.delay.process(samples, count: count, channel: c)
                let gains = state.gains
                for i in 0..<count { samples[i] *= gains[i] }
            }
            done += count
        }
    }

    /// Detector → gain computer → smoothing → make-up and mix, one gain per frame, in four passes over `gains`
    /// (levels → target reductions → smoothed reductions → gains). Passes 2 and 4 are branch-free so the
    /// compiler vectorises them; only the detector filters and the smoothing recursion run sample by sample.
    private mutating func computeGains(key: AudioBuffer, offset: Int, count: Int,
                                       into work: UnsafeMutablePointer<Float>) {
        let d = derived
        let left = key[0] + offset, right = key[min(1, key.channelCount - 1)] + offset

        // 1. Detector level: peak magnitude, or mean square (rms), the larger of the two channels.
        if d.isRMS {
            var ms0 = meanSquare0, ms1 = meanSquare1
            let keep = d.rmsCoefficient, take = 1 - d.rmsCoefficient
            for i in 0..<count {
                let a = Double(highpass0.process(left[i])), b = Double(highpass1.process(right[i]))
                ms0 = keep * ms0 + take * a * a
                ms1 = keep * ms1 + take * b * b
                if ms0 < 1e-30 { ms0 = 0 }  // no subnormals in long silences
                if ms1 < 1e-30 { ms1 = 0 }
                work[i] = Float(max(ms0, ms1))
            }
            meanSquare0 = ms0
            meanSquare1 = ms1
        } else if highpass0.isEnabled {
            for i in 0..<count { work[i] = max(abs(highpass0.process(left[i])), abs(highpass1.process(right[i]))) }
        } else {
            for i in 0..<count { work[i] = max(abs(left[i]), abs(right[i])) }
        }

        // 2. Static curve in dB (log2 domain): target reduction per sample.
        let decibelsPerLog2 = Float(d.isRMS ? DynamicsMath.decibelsPerLog2 / 2 : DynamicsMath.decibelsPerLog2)
        let threshold = Float(d.curve.threshold), knee = Float(d.curve.knee)
        let slope = Float(d.curve.slope), kneeFactor = Float(d.curve.kneeFactor)
        for i in 0..<count {
            let over = DynamicsMath.fastLog2(work[i]) * decibelsPerLog2 - threshold
            let inKnee = over + knee / 2
            var target = 2 * over < knee ? kneeFactor * inKnee * inKnee : slope * over
            target = 2 * over <= -knee ? 0 : target
            work[i] = target
        }

        // 3. Smooth branching peak detector on the reduction (dB), in Double: r ← t + c·(r − t) with c = attack
        // where t > r, release elsewhere. This recursion bounds the compressor's speed, so its dependency chain is
        // kept short. One step is f(r) = max(a·r + (1 − a)·t, b·r + (1 − b)·t) for attack ≤ release (the attack
        // candidate is the larger exactly where t > r: their difference is (a − b)·(r − t)), and a min for
        // attack > release. With positive slopes a max (min) of affine functions composes into one: two steps are
        // r₂ = max(a²·r₀ + K₁, ab·r₀ + K₂, b²·r₀ + K₃), whose constants do not depend on r. So the chain advances
        // two samples per multiply-add-max, and r₁ = f(r₀) is computed beside it. Snapping a reduction below
        // 1e-12 to 0 (a predictable branch: rare while compressing, constant in silence) restarts from the snap.
        var reduction = self.reduction
        if d.attack <= d.release {
            reduction = Self.smooth(work, count: count, from: reduction, attack: d.attack, release: d.release, pick: >)
        } else {
            reduction = Self.smooth(work, count: count, from: reduction, attack: d.attack, release: d.release, pick: <)
        }
        self.reduction = reduction

        // 4. Gain = make-up − reduction; mix with the dry signal.
        // A reduction of 0 gives exactly `d.makeupGain` (the same Float arithmetic), so no branch is needed.
        let makeup = Float(d.makeup), mix = d.mix
        let log2PerDecibel = Float(1 / DynamicsMath.decibelsPerLog2)
        for i in 0..<count {
            let gain = DynamicsMath.fastExp2((makeup - work[i]) * log2PerDecibel)
            work[i] = mix * gain + (1 - mix)
        }
    }

    /// The smoothing recursion of step 3 over `work` in place (targets in, reductions out); returns the last
    /// reduction. `pick(x, y)` chooses x: `>` for a max, `<` for a min (not `max`/`min`, whose NaN rules keep
    /// them from being one instruction).
    @inline(__always)
    private static func smooth(_ work: UnsafeMutablePointer<Float>, count: Int, from start: Double,
                               attack a: Double, release b: Double, pick: (Double, Double) -> Bool) -> Double {
        @inline(__always) func choose(_ x: Double, _ y: Double) -> Double { pick(x, y) ? x : y }
        let aRest = 1 - a, bRest = 1 - b
        let aa = a * a, ab = a * b, bb = b * b
        var r = start
        var i = 0
        while i + 1 < count {
            let t1 = Double(work[i]), t2 = Double(work[i + 1])
            let a1 = aRest * t1, b1 = bRest * t1, a2 = aRest * t2, b2 = bRest * t2
            var r1 = choose(a * r + a1, b * r + b1)
            var r2: Double
            if _slowPath(r1 < 1e-12) {
                r1 = 0
                r2 = choose(a2, b2)
            } else {
                r2 = choose(choose(aa * r + (a * a1 + a2), ab * r + choose(a * b1 + a2, b * a1 + b2)), bb * r + (b * b1 + b2))
            }
            if _slowPath(r2 < 1e-12) { r2 = 0 }
            work[i] = Float(r1)
            work[i + 1] = Float(r2)
            r = r2
            i += 2
        }
        if i < count {
            r = choose(a * r + aRest * Double(work[i]), b * r + bRest * Double(work[i]))
            if r < 1e-12 { r = 0 }
            work[i] = Float(r)
        }
        return r
    }
}

/// Compressor settings in canonical units (dB, ratio, seconds, fraction, Hz).
public struct CompressorParameters: Sendable, Equatable, Codable {
    public enum Detector: String, Sendable, Equatable, Codable { case peak, rms }
    public enum Makeup: Sendable, Equatable, Codable {
        case decibels(Double)
        /// Half the static curve's reduction at 0 dBFS (`CompressorCurve.autoMakeup`).
        case auto
    }

    /// Time constant of the rms detector's mean-square low-pass.
    public static let rmsTime = 0.010

    public var threshold: Double
    public var ratio: Double
    public var knee: Double
    public var attack: Double
    public var release: Double
    public var makeup: Makeup
    public var detector: Detector
    public var lookahead: Double
    public var mix: Double
    /// Detector high-pass cutoff in Hz; nil (or 0) = off.
    public var sidechainHighpass: Double?

    public init(threshold: Double = -18, ratio: Double = 4, knee: Double = 6, attack: Double = 0.010,
                release: Double = 0.100, makeup: Makeup = .decibels(0), detector: Detector = .peak,
                lookahead: Double = 0, mix: Double = 1, sidechainHighpass: Double? = nil) {
        self.threshold = threshold
        self.ratio = ratio
        self.knee = knee
        self.attack = attack
        self.release = release
        self.makeup = makeup
        self.detector = detector
        self.lookahead = lookahead
        self.mix = mix
        self.sidechainHighpass = sidechainHighpass
    }
}

/// The compressor's allocated state: per-block gains and the look-ahead delay.
final class CompressorState: @unchecked Sendable {
    let capacity: Int
    let gains: UnsafeMutablePointer<Float>
    let delay: LookaheadDelay

    init(channels: Int, capacity: Int, delay: Int) {
        self.capacity = max(1, capacity)
        gains = .allocate(capacity: self.capacity)
        gains.initialize(repeating: 1, count: self.capacity)
        self.delay = LookaheadDelay(channels: channels, delay: delay)
    }

    deinit { gains.deallocate() }
}
