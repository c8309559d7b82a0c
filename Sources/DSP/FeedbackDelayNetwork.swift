import Foundation

/// The algorithmic reverb's state and sample loop: predelay → input diffusers → 16-line feedback delay network
/// (Hadamard feedback, modulated lengths read through first-order allpass interpolators, one damping shelf per
/// line) → two orthogonal output taps. A class so the rings are allocated once (prepare) and never copied.
///
/// Every line shares one interleaved ring (16 floats per frame, a power-of-two number of frames) and one write
/// index: a frame's 16 writes are one contiguous store.
final class FeedbackDelayNetwork: @unchecked Sendable {
    typealias Vector = SIMD16<Float>

    private let sampleRate: Double
    private let nominal: [Double]
    private let depth: Double
    private let rates: [Double]

    // Predelay ring (absent when the predelay rounds to 0 samples).
    private let predelay: UnsafeMutablePointer<Float>?
    private let predelayLength: Int
    private var predelayPosition = 0

    // Input diffusers (four, in series).
    private var d0: Diffuser, d1: Diffuser, d2: Diffuser, d3: Diffuser

    // The network.
    private let ring: UnsafeMutablePointer<Float>
    private let mask: Int
    private var write = 0
    /// Integer part of each line's current delay, and the allpass interpolator's coefficient for the fraction.
    private let delays: UnsafeMutablePointer<Int>
    /// Scratch for the 16 older samples re-read after a modulation update.
    private let taps: UnsafeMutablePointer<Float>
    private var eta = Vector()
    private var interpolatorState = Vector()
    /// The older of the two samples each line's interpolator reads next frame: the sample read as the newer one
    /// this frame, unless the delays changed (then it is read again from the ring).
    private var older = Vector()
    private let b0: Vector, b1: Vector, a1: Vector
    private var shelfInput = Vector(), shelfOutput = Vector()
    private let inputVector: Vector, leftVector: Vector, rightVector: Vector
    /// Samples since time zero, for the modulation's fixed update grid.
    private var clock: Int64 = 0
    /// Samples until the next modulation update.
    private var untilUpdate = 0

    init(_ parameters: ReverbParameters, sampleRate: Double) {
        self.sampleRate = sampleRate
        let lines = ReverbDesign.lineLengths(size: parameters.size, sampleRate: sampleRate)
        nominal = lines.map(Double.init)
        depth = ReverbDesign.modulationDepth(sampleRate: sampleRate)
        rates = ReverbDesign.modulationRates

        predelayLength = Int((parameters.predelay * sampleRate).rounded())
        predelay = predelayLength > 0 ? .allocate(capacity: predelayLength) : nil
        predelay?.initialize(repeating: 0, count: predelayLength)

        let lengths = ReverbDesign.diffuserLengths(size: parameters.size, sampleRate: sampleRate)
        let gains = ReverbDesign.diffusers.map(\.gain)
        d0 = Diffuser(length: lengths[0], gain: gains[0])
        d1 = Diffuser(length: lengths[1], gain: gains[1])
        d2 = Diffuser(length: lengths[2], gain: gains[2])
        d3 = Diffuser(length: lengths[3], gain: gains[3])

        var frames = 1
        while frames < lines.max()! + Int(depth.rounded(.up)) + 4 { frames *= 2 }
        mask = frames - 1
        ring = .allocate(capacity: frames * 16)
        ring.initialize(repeating: 0, count: frames * 16)
        delays = .allocate(capacity: 16)
        delays.initialize(repeating: 0, count: 16)
        taps = .allocate(capacity: 32)
        taps.initialize(repeating: 0, count: 32)

        var b0 = Vector(), b1 = Vector(), a1 = Vector()
        for (i, length) in lines.enumerated() {
            let shelf = ReverbDesign.dampingShelf(lineSamples: length, decay: parameters.decay,
                                                  damping: parameters.damping, sampleRate: sampleRate)
            b0[i] = Float(shelf.b0)
            b1[i] = Float(shelf.b1)
            a1[i] = Float(shelf.a1)
        }
        self.b0 = b0
        self.b1 = b1
        self.a1 = a1
        // Unit-norm input; output taps scaled so the wet energy depends on the decay, not on the size (the energy
        // in the lines is spread over Σ lengths samples): ≈ 0.11 × decay (s) per unit of input energy.
        let outputGain = Float((Double(lines.reduce(0, +)) / (256 * 0.040 * sampleRate)).squareRoot())
        inputVector = Vector(ReverbDesign.inputSigns) * 0.25
        leftVector = Vector(ReverbDesign.leftSigns) * outputGain
        rightVector = Vector(ReverbDesign.rightSigns) * outputGain
        reset()
    }

    deinit {
        predelay?.deallocate()
        for diffuser in [d0, d1, d2, d3] { diffuser.buffer.deallocate() }
        ring.deallocate()
        delays.deallocate()
        taps.deallocate()
    }

    func reset() {
        predelay?.update(repeating: 0, count: predelayLength)
        predelayPosition = 0
        d0.reset()
        d1.reset()
        d2.reset()
        d3.reset()
        ring.update(repeating: 0, count: (mask + 1) * 16)
        write = 0
        interpolatorState = Vector()
        older = Vector()
        shelfInput = Vector()
        shelfOutput = Vector()
        clock = 0
        updateModulation()
        untilUpdate = ReverbDesign.modulationInterval
    }

    /// Sets each line's integer delay and allpass coefficient for the current point of the modulation grid.
    /// The total delay M + d keeps d in [0.5, 1.5), where η = (1 − d)/(1 + d) stays well inside (−1, 1).
    private func updateModulation() {
        let tick = Double(clock) / sampleRate
        for i in 0..<16 {
            let phase = rates[i] * tick + Double(i) / 16
            let length = nominal[i] + depth * FastSine.turns(phase - phase.rounded(.down))
            let whole = (length - 0.5).rounded(.down)
            let fraction = length - whole
            delays[i] = Int(whole)
            eta[i] = Float((1 - fraction) / (1 + fraction))
        }
    }

    /// Magnitudes below this (−400 dB) are flushed to zero so a silent tail ends in exact zeros, not denormals.
    static let flushBelow: Float = 1e-20

    /// `x` with every lane whose magnitude is below `flushBelow` set to +0 (NaN kept), in integer arithmetic:
    /// magnitude bits minus the threshold's bits is negative exactly where |x| < `flushBelow`, and its sign,
    /// spread over the lane, is the mask. (`replace(with:where:)` on float compares compiled to a compare,
    /// packing the masks to bytes and unpacking them again.)
    @inline(__always)
    private static func flushed(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD16<Int32>.self)
        let small = ((bits & 0x7FFF_FFFF) &- Int32(bitPattern: flushBelow.bitPattern)) &>> 31
        return unsafeBitCast(bits & ~small, to: Vector.self)
    }

    /// The sum of the 16 lanes as a tree of vector adds (`sum()` adds them one after the other, 15 dependent
    /// scalar additions).
    @inline(__always)
    private static func total(_ x: Vector) -> Float {
        let eight = x.lowHalf + x.highHalf, four = eight.lowHalf + eight.highHalf
        return (four[0] + four[2]) + (four[1] + four[3])
    }

    /// Sylvester-ordered Walsh–Hadamard transform (unnormalised: H·Hᵀ = 16·I).
    @inline(__always)
    private static func hadamard(_ x: Vector) -> Vector {
        @inline(__always) func h2(_ x: SIMD2<Float>) -> SIMD2<Float> { SIMD2(x.x + x.y, x.x - x.y) }
        @inline(__always) func h4(_ x: SIMD4<Float>) -> SIMD4<Float> {
            let a = h2(x.lowHalf), b = h2(x.highHalf)
            return SIMD4(lowHalf: a + b, highHalf: a - b)
        }
        @inline(__always) func h8(_ x: SIMD8<Float>) -> SIMD8<Float> {
            let a = h4(x.lowHalf), b = h4(x.highHalf)
            return SIMD8(lowHalf: a + b, highHalf: a - b)
        }
        let a = h8(x.lowHalf), b = h8(x.highHalf)
        return Vector(lowHalf: a + b, highHalf: a - b)
    }

    /// Reverberates the mono input `input` (frames samples) into `left` and `right` (wet only).
    func process(input: UnsafePointer<Float>, left: UnsafeMutablePointer<Float>, right: UnsafeMutablePointer<Float>,
                 frames: Int) {
        var d0 = self.d0, d1 = self.d1, d2 = self.d2, d3 = self.d3
        var write = self.write, interpolatorState = self.interpolatorState, older = self.older
        var shelfInput = self.shelfInput, shelfOutput = self.shelfOutput
        let ring = self.ring, mask = self.mask, delays = self.delays, taps = self.taps
        let b0 = self.b0, b1 = self.b1, a1 = self.a1
        for n in 0..<frames {
            var x = input[n]
            if let predelay {
                let delayed = predelay[predelayPosition]
                predelay[predelayPosition] = x
                predelayPosition = predelayPosition + 1 == predelayLength ? 0 : predelayPosition + 1
                x = delayed
            }
            x = d3.process(d2.process(d1.process(d0.process(x))))

            // With unchanged delays, this frame's older samples are last frame's newer ones (the same cells of
            // the ring: the write in between is a whole line length away), so only the newer ones are read.
            @inline(__always) func tap(_ i: Int) -> Float { ring[((write &- delays[i]) & mask) &* 16 &+ i] }
            @inline(__always) func taps4(_ i: Int) -> SIMD4<Float> { SIMD4(tap(i), tap(i + 1), tap(i + 2), tap(i + 3)) }
            let newer = Vector(lowHalf: SIMD8(lowHalf: taps4(0), highHalf: taps4(4)),
                               highHalf: SIMD8(lowHalf: taps4(8), highHalf: taps4(12)))
            // Below −400 dB the decaying state would turn denormal (slow on x86): flush it to exact zero.
            let line = Self.flushed(eta * (newer - interpolatorState) + older)
            interpolatorState = line
            let damped = Self.flushed(b0 * line + b1 * shelfInput - a1 * shelfOutput)
            shelfInput = line
            shelfOutput = damped
            older = newer

            left[n] = Self.total(damped * leftVector)
            right[n] = Self.total(damped * rightVector)
            let feedback = Self.hadamard(damped) * 0.25 + inputVector * x
            UnsafeMutableRawPointer(ring + write &* 16).storeBytes(of: feedback, as: Vector.self)
            write = (write &+ 1) & mask

            clock += 1
            untilUpdate -= 1
            if untilUpdate == 0 {
                updateModulation()
                untilUpdate = ReverbDesign.modulationInterval
                for i in 0..<16 { taps[i] = ring[((write &- delays[i] &- 1) & mask) &* 16 &+ i] }
                older = UnsafeRawPointer(taps).loadUnaligned(as: Vector.self)
            }
        }
        self.d0 = d0
        self.d1 = d1
        self.d2 = d2
        self.d3 = d3
        self.write = write
        self.interpolatorState = interpolatorState
        self.older = older
        self.shelfInput = shelfInput
        self.shelfOutput = shelfOutput
    }
}

/// A Schroeder allpass, (−g + z⁻ᴹ)/(1 − g·z⁻ᴹ): smears the input in time without colouring it.
struct Diffuser {
    let buffer: UnsafeMutablePointer<Float>
    let length: Int
    let gain: Float
    var position = 0

    init(length: Int, gain: Double) {
        self.length = length
        self.gain = Float(gain)
        buffer = .allocate(capacity: length)
        buffer.initialize(repeating: 0, count: length)
    }

    mutating func reset() {
        buffer.update(repeating: 0, count: length)
        position = 0
    }

    @inline(__always)
    mutating func process(_ x: Float) -> Float {
        let delayed = buffer[position]
        var v = x + gain * delayed
        if abs(v) < FeedbackDelayNetwork.flushBelow { v = 0 }  // no denormals in a silent tail
        buffer[position] = v
        position = position + 1 == length ? 0 : position + 1
        return delayed - gain * v
    }
}
