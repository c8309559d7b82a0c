import DSP

/// Uniformly partitioned overlap-save convolution (UPOLS) with a frequency-domain delay line, for several inputs,
/// outputs and impulse responses at once (mono, stereo and true-stereo reverbs).
///
/// The IRs are cut into partitions of `blockSize` samples, each zero-padded to `2·blockSize` and transformed once.
/// Every `blockSize` input samples, each input's last two blocks are transformed and stored in its delay line;
/// each output's spectrum is Σ over its routes and partitions p of X[now − p]·H[p], transformed back, and its second
/// half is the output block. Output lags input by exactly `blockSize` samples (the latency), and blocks are cut at
/// fixed multiples of `blockSize` from time zero, so the output does not depend on how the caller cuts the signal.
final class PartitionedConvolution: @unchecked Sendable {
    /// One IR applied from an input channel to an output channel.
    struct Route {
        var input: Int
        var output: Int
        /// Index into the `impulses` given to `init`.
        var impulse: Int
    }

    let blockSize: Int
    let inputs: Int
    let outputs: Int
    private let routes: [Route]
    private let fft: RealFFT
    private let bins: Int
    /// Per impulse: partitions, each `bins` real then `bins` imaginary values (scaled by 1/fftSize).
    private let spectra: [UnsafeMutablePointer<Float>]
    private let partitionCounts: [Int]
    /// Per impulse: leading partitions that are all zero (skipped).
    private let silentPartitions: [Int]
    /// Per input: `slots` transformed blocks (real then imaginary), newest at `head`.
    private let delayLines: [UnsafeMutablePointer<Float>]
    private let slots: Int
    private var head = 0
    /// Per input: the previous and the current block (2·blockSize samples).
    private let staging: [UnsafeMutablePointer<Float>]
    /// Per output: the block being played out.
    private let played: [UnsafeMutablePointer<Float>]
    private var filled = 0
    private let accumulator: UnsafeMutablePointer<Float>
    private let time: UnsafeMutablePointer<Float>

    /// - Parameters:
    ///   - impulses: impulse responses (any lengths ≥ 1); `leadingZeros` silent samples are put before each.
    ///   - blockSize: partition length (latency); even.
    init(impulses: [[Float]], leadingZeros: Int = 0, routes: [Route], inputs: Int, outputs: Int, blockSize: Int) {
        precondition(blockSize >= 2 && blockSize % 2 == 0 && !impulses.isEmpty)
        self.blockSize = blockSize
        self.inputs = inputs
        self.outputs = outputs
        self.routes = routes
        fft = RealFFT(size: 2 * blockSize)
        bins = fft.bins
        time = .allocate(capacity: 2 * blockSize)
        accumulator = .allocate(capacity: 2 * bins)

        var spectra: [UnsafeMutablePointer<Float>] = [], counts: [Int] = []
        for impulse in impulses {
            let length = leadingZeros + max(1, impulse.count)
            let count = (length + blockSize - 1) / blockSize
            let storage = UnsafeMutablePointer<Float>.allocate(capacity: count * 2 * bins)
            let scale = 1 / Float(2 * blockSize)
            for p in 0..<count {
                time.initialize(repeating: 0, count: 2 * blockSize)
                for i in 0..<blockSize {
                    let n = p * blockSize + i - leadingZeros
                    if n >= 0 && n < impulse.count { time[i] = impulse[n] * scale }
                }
                let partition = storage + p * 2 * bins
                fft.forward(time, real: partition, imaginary: partition + bins)
            }
            spectra.append(storage)
            counts.append(count)
        }
        self.spectra = spectra
        partitionCounts = counts
        silentPartitions = impulses.map { _ in leadingZeros / blockSize }
        let slots = counts.max()!, lineLength = slots * 2 * fft.bins
        self.slots = slots
        delayLines = (0..<inputs).map { _ in
            let line = UnsafeMutablePointer<Float>.allocate(capacity: lineLength)
            line.initialize(repeating: 0, count: lineLength)
            return line
        }
        staging = (0..<inputs).map { _ in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 2 * blockSize)
            buffer.initialize(repeating: 0, count: 2 * blockSize)
            return buffer
        }
        played = (0..<outputs).map { _ in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: blockSize)
            buffer.initialize(repeating: 0, count: blockSize)
            return buffer
        }
    }

    deinit {
        for pointer in spectra + delayLines + staging + played { pointer.deallocate() }
        accumulator.deallocate()
        time.deallocate()
    }

    func reset() {
        for line in delayLines { line.update(repeating: 0, count: slots * 2 * bins) }
        for buffer in staging { buffer.update(repeating: 0, count: 2 * blockSize) }
        for buffer in played { buffer.update(repeating: 0, count: blockSize) }
        head = 0
        filled = 0
    }

    /// Convolves `frames` samples of `io` in place, starting at `offset` (channel c is input c and output c).
    func process(_ io: AudioBuffer, offset: Int, frames: Int) {
        var done = offset
        let end = offset + frames
        while done < end {
            let n = min(end - done, blockSize - filled)
            for c in 0..<inputs { (staging[c] + blockSize + filled).update(from: io[c] + done, count: n) }
            for c in 0..<outputs { (io[c] + done).update(from: played[c] + filled, count: n) }
            filled += n
            done += n
            if filled == blockSize {
                convolveBlock()
                filled = 0
            }
        }
    }

    private func convolveBlock() {
        for c in 0..<inputs {
            let line = delayLines[c] + head * 2 * bins
            fft.forward(staging[c], real: line, imaginary: line + bins)
            staging[c].update(from: staging[c] + blockSize, count: blockSize)
        }
        for o in 0..<outputs {
            accumulator.update(repeating: 0, count: 2 * bins)
            for route in routes where route.output == o {
                for p in silentPartitions[route.impulse]..<partitionCounts[route.impulse] {
                    var slot = head - p
                    if slot < 0 { slot += slots }
                    let x = delayLines[route.input] + slot * 2 * bins
                    let h = spectra[route.impulse] + p * 2 * bins
                    ComplexKernels.multiplyAccumulate(x, h, into: accumulator, count: bins)
                }
            }
            fft.inverse(real: accumulator, imaginary: accumulator + bins, output: time)
            played[o].update(from: time + blockSize, count: blockSize)
        }
        head = head + 1 == slots ? 0 : head + 1
    }
}

enum ComplexKernels {
    /// acc += x · h for split complex vectors laid out as `count` reals then `count` imaginaries.
    @inline(__always)
    static func multiplyAccumulate(_ x: UnsafePointer<Float>, _ h: UnsafePointer<Float>,
                                   into acc: UnsafeMutablePointer<Float>, count: Int) {
        let xr = x, xi = x + count, hr = h, hi = h + count
        let ar = acc, ai = acc + count
        for k in 0..<count {
            let re = xr[k] * hr[k] - xi[k] * hi[k]
            let im = xr[k] * hi[k] + xi[k] * hr[k]
            ar[k] += re
            ai[k] += im
        }
    }
}
