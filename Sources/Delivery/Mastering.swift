import Foundation
import AudioIO
import DSP
import Loudness

/// What one deliverable asks of the mastering chain (units: LUFS, dBTP, Hz, seconds).
public struct MasteringTarget: Sendable, Equatable {
    public var loudness: Double?
    public var ceiling: Double?
    /// A brickwall (true-peak) limiter may be used; otherwise the ceiling is met by gain alone.
    public var limit: Bool
    public var highpass: Double?
    public var monoBelow: Double?
    public var fadeOut: Double?
    public var sampleRate: Int

    public init(loudness: Double?, ceiling: Double?, limit: Bool, highpass: Double?, monoBelow: Double?,
                fadeOut: Double?, sampleRate: Int) {
        self.loudness = loudness
        self.ceiling = ceiling
        self.limit = limit
        self.highpass = highpass
        self.monoBelow = monoBelow
        self.fadeOut = fadeOut
        self.sampleRate = sampleRate
    }
}

/// The outcome of mastering, before encoding.
public struct MasteredSignal: Sendable {
    public var channels: [[Float]]
    public var sampleRate: Int
    /// Gain applied before the limiter, dB.
    public var gain: Double
    /// Measure → gain → limit → re-measure passes.
    public var passes: Int
    /// Integrated loudness after the last pass (of the float signal, before encoding).
    public var integrated: Double
    /// The largest gain reduction the limiter applied, dB (0 when it did nothing or was not used).
    public var limiterReduction: Double
    /// Why a target could not be met, if it could not.
    public var shortfall: String?
}

/// premaster → deliverable processing (high-pass, linear-phase mono lows, fade) → delivery rate → loudness and peak
/// targeting.
///
/// Loudness targeting, repeated until the integrated loudness is within ±0.05 LU of the target and the true peak is
/// at or below the ceiling (at most 8 passes):
/// 1. measure the integrated loudness I of the signal at the delivery rate;
/// 2. apply gain g (first g = target − I);
/// 3. limit to the ceiling − 0.1 dB with the true-peak limiter (when allowed);
/// 4. re-measure I′ and (when limiting) the true peak P with the BS.1770 meter that later verifies the file, in one
///    run; the limiter lowered the loudness by target − I′, so if |target − I′| > 0.05 LU, g += target − I′ and
///    go to 2;
/// 5. on target, if P is above the ceiling, the limiter aims lower by the excess (+0.02 dB): go to 2.
/// Without a limiter (vinyl) the gain is capped so that the true peak stays under the ceiling; without a loudness
/// target the gain is 0 and only the ceiling is enforced. Limiting beyond `maxLimiting` dB is reported as a
/// shortfall: the target is then reachable only by crushing the master.
public enum Mastering {
    public static let maxLimiting = 6.0
    /// The limiter aims this far below the ceiling so that meters with other interpolators still read ≤ ceiling.
    public static let limiterMargin = 0.1

    public static func master(_ premaster: [[Float]], sessionRate: Int, target: MasteringTarget,
                              ceilingOffset: Double = 0) throws -> MasteredSignal {
        var signal = premaster
        if let hz = target.highpass {
            run(.eq(bands: [EQBand(.highpass, frequency: hz, slope: 24)]), on: &signal, sampleRate: sessionRate)
        }
        if let hz = target.monoBelow {
            // Linear-phase, ≥ 70 dB on the side below `hz` (not the recipe's LR4 `mono_below`, which leaves the
            // side only ~25 dB down an octave below): see LinearPhaseMonoBelow.
            LinearPhaseMonoBelow(frequency: hz, sampleRate: sessionRate).apply(&signal)
        }
        signal = try SampleRateConverters.convert(signal, from: sessionRate, to: target.sampleRate)
        if let fade = target.fadeOut { applyFadeOut(&signal, seconds: fade, sampleRate: target.sampleRate) }

        let rate = target.sampleRate
        let start = try measure(signal, sampleRate: rate, truePeak: target.ceiling != nil && !target.limit)
        var gain = target.loudness.map { $0 - start.integratedLUFS } ?? 0
        if !gain.isFinite { gain = 0 }
        var result = signal
        var passes = 0, integrated = start.integratedLUFS, reduction = 0.0
        var shortfall: String?
        // Extra limiter headroom (dB, ≤ 0) when the BS.1770 meter reads the limited signal above the ceiling.
        var trim = 0.0
        let verifyPeak = target.limit && target.ceiling != nil
        repeat {
            passes += 1
            result = scaled(signal, decibels: gain)
            reduction = 0
            if let ceiling = target.ceiling {
                let aim = ceiling - limiterMargin + ceilingOffset
                if target.limit {
                    reduction = limit(&result, ceiling: aim + trim, sampleRate: rate)
                } else {
                    let peak = try measure(result, sampleRate: rate, truePeak: true).truePeakDBTP
                    if peak > aim {
                        gain -= peak - aim
                        result = scaled(signal, decibels: gain)
                        if target.loudness != nil {
                            shortfall = String(format: "the loudness target needs %.1f dB more gain than the %.1f dBTP "
                                               + "ceiling allows without limiting", peak - aim, ceiling)
                        }
                    }
                }
            }
            // One meter run gives the loudness and, when limiting, the true peak as the file's verification will
            // read it (the meter's cost is mostly its loudness windows; the true peak adds little).
            let measured = try measure(result, sampleRate: rate, truePeak: verifyPeak)
            integrated = measured.integratedLUFS
            if shortfall == nil, let goal = target.loudness, integrated.isFinite, abs(goal - integrated) > 0.05 {
                gain += goal - integrated
                continue
            }
            // On target. The limiter's detector (ITU 48-tap interpolator) and libebur128's 49-tap Hann sinc can
            // differ by ~0.2 dB on dense peaks near Nyquist: if the meter reads above the ceiling, aim lower by the
            // excess.
            if verifyPeak, let ceiling = target.ceiling, measured.truePeakDBTP > ceiling + ceilingOffset {
                trim -= measured.truePeakDBTP - (ceiling + ceilingOffset) + 0.02
                continue
            }
            break
        } while passes < 8
        if reduction > maxLimiting, shortfall == nil {
            shortfall = String(format: "reaching the target took %.1f dB of limiting (more than %.0f dB): "
                               + "the master will sound crushed; consider a lower loudness target", reduction, maxLimiting)
        }
        return MasteredSignal(channels: result, sampleRate: rate, gain: gain, passes: passes, integrated: integrated,
                              limiterReduction: reduction, shortfall: shortfall)
    }

    public static func measure(_ channels: [[Float]], sampleRate: Int, truePeak: Bool) throws -> LoudnessMeasurement {
        let meter = try LoudnessMeter(channels: channels.count, sampleRate: sampleRate, truePeak: truePeak, windows: false)
        let frames = channels.first?.count ?? 0
        let block = 65536
        var start = 0
        while start < frames {
            let n = min(block, frames - start)
            withPointers(channels, offset: start) { meter.add($0, frames: n) }
            start += n
        }
        return meter.measurement()
    }

    static func withPointers(_ channels: [[Float]], offset: Int, _ body: ([UnsafePointer<Float>]) -> Void) {
        func nest(_ index: Int, _ pointers: [UnsafePointer<Float>]) {
            if index == channels.count { body(pointers); return }
            channels[index].withUnsafeBufferPointer { nest(index + 1, pointers + [$0.baseAddress! + offset]) }
        }
        nest(0, [])
    }

    static func scaled(_ channels: [[Float]], decibels: Double) -> [[Float]] {
        let factor = Float(Decibels.toLinear(decibels))
        return channels.map { $0.map { $0 * factor } }
    }

    /// Runs a processor over a whole in-memory signal, compensating its latency (the result stays aligned).
    static func run(_ configuration: ProcessorConfiguration, on channels: inout [[Float]], sampleRate: Int) {
        let block = 4096
        var processor = configuration.makeProcessor()
        let traits = processor.prepare(ProcessSpec(sampleRate: Double(sampleRate), maxBlockSize: block,
                                                   channels: channels.count))
        let latency = max(0, traits.latency)
        let frames = channels[0].count
        let buffer = AudioBuffer(channels: channels.count, capacity: block)
        var output = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channels.count)
        var position = 0  // input frames fed
        while position < frames + latency {
            let n = min(block, frames + latency - position)
            for c in channels.indices {
                for i in 0..<n { buffer[c][i] = position + i < frames ? channels[c][position + i] : 0 }
            }
            processor.process(buffer, frames: n, sidechain: nil)
            for c in channels.indices {
                for i in 0..<n {
                    let at = position + i - latency
                    if at >= 0 && at < frames { output[c][at] = buffer[c][i] }
                }
            }
            position += n
        }
        channels = output
    }

    /// True-peak limiting to `ceiling` dBTP; returns the largest gain reduction (dB).
    static func limit(_ channels: inout [[Float]], ceiling: Double, sampleRate: Int) -> Double {
        let before = channels
        run(.limiter(LimiterParameters(ceiling: ceiling)), on: &channels, sampleRate: sampleRate)
        var reduction: Float = 1
        for c in channels.indices {
            for i in channels[c].indices where abs(before[c][i]) > 1e-4 {
                reduction = min(reduction, abs(channels[c][i]) / abs(before[c][i]))
            }
        }
        let decibels = -Double(Decibels.fromLinear(Double(reduction)))
        return decibels > 0 ? decibels : 0  // never −0
    }

    /// A raised-cosine fade to silence over the last `seconds`.
    static func applyFadeOut(_ channels: inout [[Float]], seconds: Double, sampleRate: Int) {
        let frames = channels[0].count
        let length = min(frames, Int((seconds * Double(sampleRate)).rounded()))
        guard length > 0 else { return }
        for i in 0..<length {
            let t = Double(i + 1) / Double(length)
            let gain = Float(0.5 * (1 + cos(Double.pi * t)))
            for c in channels.indices { channels[c][frames - length + i] *= gain }
        }
    }
}
