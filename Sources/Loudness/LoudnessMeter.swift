import CEbur128

/// Measures a stream of float samples per ITU-R BS.1770-4 / EBU R 128 with libebur128: integrated loudness,
/// loudness range, true peak, sample peak, and the maxima of the momentary and short-term loudness.
///
/// **Evaluation grid.** Input is cut at exact boundaries of the total stream position, every 10 ms
/// (⌊k·rate/100⌋ frames: 480 at 48 kHz, 441 at 44.1 kHz), whatever block sizes the caller uses, so every
/// result is identical for any way of splitting the same stream. After each 10 ms step the momentary loudness
/// (last 400 ms) is read; after every tenth (100 ms) the short-term loudness (last 3 s). Before the first
/// 400 ms / 3 s the windows hold silence for the time before the stream started.
///
/// Why 10 ms for the momentary maximum and not 100 ms: a 0.4 s tone burst that starts between two evaluations is
/// under-read by up to 10·log10(0.35/0.4) = −0.58 dB at a 100 ms step, failing EBU Tech 3341 test 13 (max
/// momentary ±0.1 LU at any burst offset; libebur128 pull request #65 found the same). At 10 ms the worst case
/// is −0.055 dB. The short-term window is 3 s long, so a 100 ms step under-reads a 3 s burst by at most 0.073 dB.
///
/// **Channels.** libebur128's default map: L, R, C, LFE (unused), Ls, Rs; a 5-channel stream is L R C Ls Rs
/// (set explicitly here for 5 and 6 channels); channels beyond the sixth are not measured. Surrounds weigh 1.41.
/// A **mono** stream is measured as one channel of weight 1.0, as ITU-R BS.1770 does and as libebur128 does by
/// default, so a mono sine reads 3 LU below the same sine on both channels of a stereo stream. The EBU convention of
/// counting a mono channel twice (libebur128 `EBUR128_DUAL_MONO`) is *not* applied.
///
/// **Threads.** A meter holds a C state and is used by one thread at a time (hence `@unchecked Sendable`);
/// separate meters may run on separate threads. Creation and destruction go through `Ebur128Lock`.
public final class LoudnessMeter: @unchecked Sendable {
    public let channels: Int
    public let sampleRate: Int
    public let truePeak: Bool
    /// Whether momentary/short-term maxima and the loudness range are tracked (the 10 ms evaluation grid).
    public let windows: Bool

    /// Momentary loudness (400 ms) at the last 10 ms step, LUFS.
    public private(set) var lastMomentaryLUFS = -Double.infinity
    /// Short-term loudness (3 s) at the last 100 ms step, LUFS.
    public private(set) var lastShortTermLUFS = -Double.infinity
    /// Frames added so far.
    public private(set) var framesAdded: Int64 = 0

    static let stepsPerSecond: Int64 = 100
    static let stepsPerShortTerm: Int64 = 10

    private var state: UnsafeMutablePointer<ebur128_state>?
    private let scratch: UnsafeMutablePointer<Float>
    private let scratchFrames: Int
    private var step: Int64 = 1
    private var nextBoundary: Int64
    /// A short-term window lies wholly inside the stream from here on (libebur128 rounds 100 ms to whole frames).
    private let shortTermWindow: Int64
    private var momentaryMax = -Double.infinity
    private var shortTermMax = -Double.infinity
    private var shortTermEnergies: [Double] = []

    /// - Parameter windows: false measures only integrated loudness and peaks, without evaluating the momentary and
    ///   short-term windows every 10 ms (about twice as fast; mastering passes need nothing more). The maxima are
    ///   then −∞ and the loudness range 0.
    public init(channels: Int, sampleRate: Int, truePeak: Bool = true, windows: Bool = true) throws(LoudnessError) {
        guard channels >= 1, channels <= 64, sampleRate >= 100, sampleRate <= 1_536_000 else {
            throw .invalidParameters(channels: channels, sampleRate: sampleRate)
        }
        self.channels = channels
        self.sampleRate = sampleRate
        self.truePeak = truePeak
        self.windows = windows
        let mode = Int32(EBUR128_MODE_I.rawValue | EBUR128_MODE_S.rawValue
                         | (truePeak ? EBUR128_MODE_TRUE_PEAK.rawValue : EBUR128_MODE_SAMPLE_PEAK.rawValue))
        let created: UnsafeMutablePointer<ebur128_state>? = Ebur128Lock.withLock {
            guard let state = ebur128_init(UInt32(channels), UInt(sampleRate), mode) else { return nil }
            if channels == 5 || channels == 6 {
                let map: [channel] = channels == 5
                    ? [EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND]
                    : [EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_UNUSED, EBUR128_LEFT_SURROUND,
                       EBUR128_RIGHT_SURROUND]
                for (index, type) in map.enumerated() { _ = ebur128_set_channel(state, UInt32(index), Int32(type.rawValue)) }
            }
            return state
        }
        guard let created else { throw .outOfMemory }
        state = created
        scratchFrames = (sampleRate + 99) / 100 + 1
        scratch = .allocate(capacity: scratchFrames * channels)
        nextBoundary = windows ? Int64(sampleRate) / Self.stepsPerSecond : Int64.max
        shortTermWindow = 30 * Int64((sampleRate + 5) / 10)
    }

    deinit {
        Ebur128Lock.withLock { ebur128_destroy(&state) }
        scratch.deallocate()
    }

    /// Planar input (one pointer per channel), any block size; results independent of block size.
    public func add(_ channels: [UnsafePointer<Float>], frames: Int) {
        precondition(channels.count == self.channels, "expected \(self.channels) channel pointers")
        var offset = 0
        while offset < frames {
            // Never more than the scratch holds (the windowless mode has no 10 ms boundary to stop at).
            let count = min(frames - offset, Int(min(nextBoundary - framesAdded, Int64(scratchFrames))))
            for c in 0..<self.channels {
                let source = channels[c] + offset
                for i in 0..<count { scratch[i * self.channels + c] = source[i] }
            }
            feed(scratch, frames: count)
            offset += count
        }
    }

    /// Interleaved input.
    public func add(interleaved: UnsafePointer<Float>, frames: Int) {
        var offset = 0
        while offset < frames {
            let count = min(frames - offset, Int(nextBoundary - framesAdded))
            feed(interleaved + offset * channels, frames: count)
            offset += count
        }
    }

    /// Everything measured so far. Does not change the meter; may be called at any time.
    public func measurement() -> LoudnessMeasurement {
        var integrated = -Double.infinity
        _ = ebur128_loudness_global(state, &integrated)
        var samplePeak = 0.0, truePeakValue = 0.0
        for c in 0..<channels {
            var value = 0.0
            if ebur128_sample_peak(state, UInt32(c), &value) == 0 { samplePeak = max(samplePeak, value) }
            if truePeak, ebur128_true_peak(state, UInt32(c), &value) == 0 { truePeakValue = max(truePeakValue, value) }
        }
        if !truePeak { truePeakValue = samplePeak }
        return LoudnessMeasurement(
            integratedLUFS: integrated,
            loudnessRangeLU: LoudnessRange.compute(shortTermEnergies),
            truePeakDBTP: LoudnessMath.decibels(amplitude: truePeakValue),
            samplePeakDBFS: LoudnessMath.decibels(amplitude: samplePeak),
            momentaryMaxLUFS: momentaryMax,
            shortTermMaxLUFS: shortTermMax)
    }

    /// Adds frames that never cross a 10 ms boundary, and evaluates when one is reached.
    private func feed(_ samples: UnsafePointer<Float>, frames: Int) {
        guard frames > 0 else { return }
        // The only failure is an allocation of a few bytes for the gating history.
        guard ebur128_add_frames_float(state, samples, frames) == 0 else { fatalError("libebur128: out of memory") }
        framesAdded += Int64(frames)
        guard framesAdded == nextBoundary else { return }
        var loudness = -Double.infinity
        _ = ebur128_loudness_momentary(state, &loudness)
        lastMomentaryLUFS = loudness
        momentaryMax = max(momentaryMax, loudness)
        if step % Self.stepsPerShortTerm == 0 {
            _ = ebur128_loudness_shortterm(state, &loudness)
            lastShortTermLUFS = loudness
            shortTermMax = max(shortTermMax, loudness)
            if framesAdded >= shortTermWindow { shortTermEnergies.append(LoudnessMath.energy(loudness: loudness)) }
        }
        step += 1
        nextBoundary = step * Int64(sampleRate) / Self.stepsPerSecond
    }
}
