import DSP

/// Whole-signal FIR filtering by FFT, for offline jobs on buffered audio (delivery mastering).
///
/// `apply(taps, to: x)` returns y[n] = Σₖ h[k]·x[n − k] for n in 0..<x.count: the causal convolution, cut to the
/// input's length (callers that want a linear-phase filter aligned pad the input and drop its delay themselves).
/// It runs on `PartitionedConvolution` (KissFFT, float) with partitions of the next power of two at or above the
/// filter length (at most 2¹⁵; longer filters use several partitions), so the cost is O(N log N) in the signal
/// length. Float FFT rounding leaves an error about 130 dB below the signal.
public enum FIRFilter {
    public static func apply(_ taps: [Float], to signal: [Float]) -> [Float] {
        guard !signal.isEmpty, !taps.isEmpty else { return [Float](repeating: 0, count: signal.count) }
        var blockSize = 64
        while blockSize < taps.count && blockSize < 1 << 15 { blockSize *= 2 }
        let engine = PartitionedConvolution(impulses: [taps], routes: [.init(input: 0, output: 0, impulse: 0)],
                                            inputs: 1, outputs: 1, blockSize: blockSize)
        // The engine's output lags its input by exactly `blockSize` samples: feed that many zeros after the
        // signal and keep the output from `blockSize` on.
        let chunk = 1 << 16
        let buffer = AudioBuffer(channels: 1, capacity: chunk)
        var output = [Float](repeating: 0, count: signal.count)
        let total = signal.count + blockSize
        var position = 0
        while position < total {
            let n = min(chunk, total - position)
            let io = buffer[0]
            for i in 0..<n { io[i] = position + i < signal.count ? signal[position + i] : 0 }
            engine.process(buffer, offset: 0, frames: n)
            for i in 0..<n {
                let at = position + i - blockSize
                if at >= 0 && at < signal.count { output[at] = io[i] }
            }
            position += n
        }
        return output
    }
}
