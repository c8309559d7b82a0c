import Foundation

/// 4× oversampling for nonlinear processors: two 2× stages of linear-phase halfband FIR filters (Kaiser-windowed
/// sinc, 100 dB stopband), up then down, each run polyphase so that half of every filter's taps (the zeros of a
/// halfband) are never multiplied.
///
/// Designs are relative to the session rate fs, so the taps do not depend on it:
/// - stage 1 (fs ↔ 2·fs): passband to 0.4167·fs (20 kHz at 48 kHz), stopband from 0.5833·fs; 79 taps, 40 non-zero
///   side taps and the centre tap 1/2.
/// - stage 2 (2·fs ↔ 4·fs): passband to 0.5833·fs, stopband from 1.4167·fs; 31 taps, 16 side taps.
/// What the nonlinearity creates above 0.5833·fs is removed (100 dB) before it can fold back; only content between
/// the session's Nyquist and 0.5833·fs folds, into the band above 0.4167·fs (20–24 kHz at 48 kHz).
///
/// The round trip delays by exactly `latency` = 46 session samples (stage 1's centre 2·19 + 1, plus stage 2's 7);
/// each decimator keeps the phase that makes this a whole number.
public final class Oversampler: @unchecked Sendable {
    public static let factor = 4
    /// Session samples from input to output.
    public let latency: Int
    let stage1: Halfband, stage2: Halfband
    /// The largest block one pass handles (longer calls are split; the result does not change).
    let chunk: Int
    public let channels: [OversamplerChannel]

    public init(channels count: Int, maxBlockSize: Int) {
        stage1 = Halfband(k: 19, transition: (0.4167 / 2, 0.5833 / 2))
        stage2 = Halfband(k: 7, transition: (0.5833 / 4, 1.4167 / 4))
        latency = (2 * stage1.k + 1) + stage2.k
        chunk = max(1, maxBlockSize)
        let (s1, s2, delay, chunk) = (stage1, stage2, latency, chunk)
        channels = (0..<count).map { _ in OversamplerChannel(stage1: s1, stage2: s2, latency: delay, chunk: chunk) }
    }

    /// Replaces `frames` samples of `x` with `shape` applied at 4× the rate, `latency` samples late. `shape`
    /// receives the 4×-rate signal in two contiguous runs (its even and odd samples) and works in place.
    /// Afterwards `channel.dry` holds the input delayed by `latency`, aligned with the output.
    @inline(__always)
    func process(_ channel: OversamplerChannel, _ x: UnsafeMutablePointer<Float>, frames: Int,
                 shape: (UnsafeMutablePointer<Float>, Int) -> Void) {
        var start = 0
        while start < frames {
            let n = min(chunk, frames - start)
            pass(channel, x + start, n, shape: shape)
            start += n
        }
    }

    @inline(__always)
    private func pass(_ ch: OversamplerChannel, _ x: UnsafeMutablePointer<Float>, _ n: Int,
                      shape: (UnsafeMutablePointer<Float>, Int) -> Void) {
        let k1 = stage1.k, s1 = stage1.sideCount, k2 = stage2.k, s2 = stage2.sideCount
        let input = ch.input.block, a = ch.twice.block, even = ch.even.block, odd = ch.odd.block
        let e1 = ch.downEven.block, o1 = ch.downOdd.block
        for i in 0..<n { input[i] = x[i] }
        // Stage 1 up: the even outputs filter, the odd ones are the centre tap (½ · 2) on a delayed input.
        for i in 0..<n {
            a[2 * i] = Halfband.dot(stage1.up, input + i - (s1 - 1), s1)
            a[2 * i + 1] = input[i - k1]
        }
        // Stage 2 up, written as its even and odd phases.
        for m in 0..<(2 * n) {
            even[m] = Halfband.dot(stage2.up, a + m - (s2 - 1), s2)
            odd[m] = a[m - k2]
        }
        shape(even, 2 * n)
        shape(odd, 2 * n)
        // Stage 2 down keeps the even phase: z[j] = Σ h[2i]·w[2j − 2i] + ½·w[2j − 2K − 1]; its outputs are split
        // into stage 1's even and odd phases.
        for i in 0..<n {
            e1[i] = Halfband.dot(stage2.down, even + 2 * i - (s2 - 1), s2) + 0.5 * odd[2 * i - k2 - 1]
            o1[i] = Halfband.dot(stage2.down, even + 2 * i + 1 - (s2 - 1), s2) + 0.5 * odd[2 * i - k2]
        }
        // Stage 1 down keeps the odd phase: y[n] = Σ h[2i]·z[2n + 1 − 2i] + ½·z[2n − 2K].
        let dry = ch.dry
        for i in 0..<n {
            x[i] = Halfband.dot(stage1.down, o1 + i - (s1 - 1), s1) + 0.5 * e1[i - k1]
            dry[i] = input[i - latency]
        }
        for history in [ch.input, ch.downEven, ch.downOdd] { history.advance(n) }
        for history in [ch.twice, ch.even, ch.odd] { history.advance(2 * n) }
    }

    public func reset() { for channel in channels { channel.reset() } }
}

/// A halfband lowpass h of length 4K + 3 at the higher rate: centre tap h[2K + 1] = ½, every other tap at an even
/// distance from the centre is zero, and the remaining 2K + 2 "side" taps h[0], h[2], … carry the filter.
final class Halfband: @unchecked Sendable {
    let k: Int
    let sideCount: Int
    /// Side taps in window order (oldest sample first): `down[t] = h[2·(count − 1 − t)]`; `up` is twice that
    /// (zero-stuffing halves the level).
    let down: UnsafePointer<Float>, up: UnsafePointer<Float>

    /// `transition`: passband and stopband edges in cycles per sample at the higher rate (symmetric about ¼).
    init(k: Int, transition: (Double, Double)) {
        self.k = k
        let length = 4 * k + 3, centre = Double(2 * k + 1)
        let attenuation = 100.0, beta = 0.1102 * (attenuation - 8.7)
        precondition(Double(length) >= (attenuation - 7.95) / (2.285 * 2 * .pi * (transition.1 - transition.0)),
                     "halfband too short for its transition band")
        func tap(_ j: Int) -> Double {
            let t = Double(j) - centre
            let sinc = sin(.pi * t / 2) / (.pi * t)          // cutoff ¼ cycle per sample
            let r = t / centre
            return sinc * Self.besselI0(beta * max(0, 1 - r * r).squareRoot()) / Self.besselI0(beta)
        }
        let count = 2 * k + 2
        var side = (0..<count).map { tap(2 * $0) }
        let sum = side.reduce(0, +)
        side = side.map { $0 * 0.5 / sum }                  // DC gain exactly ½ + ½
        let reversed = (0..<count).map { Float(side[count - 1 - $0]) }
        sideCount = count
        let downTaps = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let upTaps = UnsafeMutablePointer<Float>.allocate(capacity: count)
        for t in 0..<count {
            downTaps[t] = reversed[t]
            upTaps[t] = 2 * reversed[t]
        }
        down = UnsafePointer(downTaps)
        up = UnsafePointer(upTaps)
    }

    deinit {
        down.deallocate()
        up.deallocate()
    }

    /// Σ taps[i]·b[i] over `count` (a multiple of 8) samples, in a fixed order.
    @inline(__always)
    static func dot(_ taps: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        let ra = UnsafeRawPointer(taps), rb = UnsafeRawPointer(b), step = 8 * MemoryLayout<Float>.stride
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var offset = 0
        let end = count * MemoryLayout<Float>.stride
        while offset + step < end {
            acc0 += ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: offset + step, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset + step, as: SIMD8<Float>.self)
            offset += 2 * step
        }
        if offset < end {
            acc0 += ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        }
        return (acc0 + acc1).sum()
    }

    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        while term > 1e-20 * sum {
            term *= (x / (2 * k)) * (x / (2 * k))
            sum += term
            k += 1
        }
        return sum
    }
}

/// A signal buffer with `history` samples of the past in front of the current block: `block[−history ..< 0]` is
/// the past, `block[0 ..< n]` the block being computed. `advance(n)` keeps the newest `history` samples for the
/// next block.
final class HistoryBuffer: @unchecked Sendable {
    let history: Int, capacity: Int
    let storage: UnsafeMutablePointer<Float>
    var block: UnsafeMutablePointer<Float> { storage + history }

    init(history: Int, capacity: Int) {
        self.history = history
        self.capacity = capacity
        storage = .allocate(capacity: history + capacity)
        storage.initialize(repeating: 0, count: history + capacity)
    }

    deinit { storage.deallocate() }

    func advance(_ n: Int) { memmove(storage, storage + n, history * MemoryLayout<Float>.stride) }

    func reset() { storage.update(repeating: 0, count: history + capacity) }
}

/// One channel's buffers through both stages, and the aligned dry signal.
public final class OversamplerChannel: @unchecked Sendable {
    /// Session rate, 2× (stage 1 up output), 4× even and odd phases, 2× even and odd phases (stage 2 down output).
    let input: HistoryBuffer, twice: HistoryBuffer, even: HistoryBuffer, odd: HistoryBuffer
    let downEven: HistoryBuffer, downOdd: HistoryBuffer
    let histories: [HistoryBuffer]
    /// The last block's input delayed by the latency.
    let dry: UnsafeMutablePointer<Float>
    let chunk: Int

    init(stage1: Halfband, stage2: Halfband, latency: Int, chunk: Int) {
        self.chunk = chunk
        input = HistoryBuffer(history: max(stage1.sideCount - 1, latency), capacity: chunk)
        twice = HistoryBuffer(history: stage2.sideCount - 1, capacity: 2 * chunk)
        even = HistoryBuffer(history: stage2.sideCount - 1, capacity: 2 * chunk)
        odd = HistoryBuffer(history: stage2.k + 1, capacity: 2 * chunk)
        downEven = HistoryBuffer(history: stage1.k, capacity: chunk)
        downOdd = HistoryBuffer(history: stage1.sideCount - 1, capacity: chunk)
        histories = [input, twice, even, odd, downEven, downOdd]
        dry = .allocate(capacity: chunk)
        dry.initialize(repeating: 0, count: chunk)
    }

    deinit { dry.deallocate() }

    func reset() {
        for history in histories { history.reset() }
        dry.update(repeating: 0, count: chunk)
    }
}
