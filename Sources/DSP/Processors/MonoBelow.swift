/// mono_below: sums the stereo image to mono below a crossover frequency, phase-coherently.
///
/// A Linkwitz–Riley 4th-order crossover (LR4: two cascaded Butterworth 2nd-order sections per band) splits each
/// channel; the low bands are summed to mono, the high bands kept. Because LR4 low + high is the 2nd-order allpass
/// AP with the same poles, and the filters are linear, this equals, with M = (L + R)/2 and S = (L − R)/2:
/// L' = AP(M) + HP4(S), R' = AP(M) − HP4(S), which is what runs (three sections instead of six).
/// A mono-compatible input (L = R) comes out allpass-filtered and otherwise unchanged.
/// Parameters: `freq` Hz (crossover; 20…1000 in recipes). Needs two channels; on one channel it applies AP.
/// Latency 0. Tail: the filters' ring time to −100 dB.
public struct MonoBelow: AudioProcessor {
    public var frequency: Double
    private var allpass = Biquad.identity
    private var highpass = Biquad.identity
    /// AP state (4), then the two HP sections' state (4 + 4).
    private var state: FilterState?

    public init(frequency: Double) { self.frequency = frequency }

    /// The crossover's sections at this rate: the allpass for M and the Butterworth 2nd-order highpass (used
    /// twice) for S.
    public static func sections(frequency: Double, sampleRate: Double) -> (allpass: Biquad, highpass: Biquad) {
        let q = EQBand.butterworthQ
        return (.allpass(frequency: frequency, q: q, sampleRate: sampleRate),
                .highpass(frequency: frequency, q: q, sampleRate: sampleRate))
    }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        (allpass, highpass) = Self.sections(frequency: frequency, sampleRate: spec.sampleRate)
        state = FilterState(count: 12)
        return ProcessorTraits(latency: 0, tail: Biquad.ringTime(of: [allpass, highpass, highpass]))
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        guard let state else { return }
        let s = state.values
        if io.channelCount == 1 {
            BiquadKernel.run(allpass, s, io[0], count: frames)
            return
        }
        let l = io[0], r = io[1], allpass = allpass, highpass = highpass
        var mid = BiquadStep(s), side1 = BiquadStep(s + 4), side2 = BiquadStep(s + 8)
        for i in 0..<frames {
            let left = Double(l[i]), right = Double(r[i])
            let m = mid(allpass, 0.5 * (left + right))
            let q = side2(highpass, side1(highpass, 0.5 * (left - right)))
            l[i] = Float(m + q)
            r[i] = Float(m - q)
        }
        mid.store(s)
        side1.store(s + 4)
        side2.store(s + 8)
    }

    public mutating func reset() { state?.reset() }
}
