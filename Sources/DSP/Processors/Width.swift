/// width: mid/side stereo width.
///
/// With M = (L + R)/2 and S = (L − R)/2, the output is L' = M + w·S, R' = M − w·S, computed as
/// L' = L + g·(L − R), R' = R − g·(L − R) with g = (w − 1)/2, so that w = 1 is a bit-exact null.
/// Parameters: `width` (0…2, default 1): 0 = mono, 1 = unchanged, 2 = side doubled.
/// Needs two channels (on a mono track both channels are equal and it changes nothing). Latency 0, tail 0.
public struct Width: AudioProcessor {
    public var width: Double
    private var g: Float = 0

    public init(width: Double) { self.width = width }

    /// The side factor for a width (kept separate so a per-sample width stream could drive it).
    @inlinable
    public static func sideFactor(width: Double) -> Float { Float((width - 1) / 2) }

    public mutating func prepare(_ spec: ProcessSpec) -> ProcessorTraits {
        g = Self.sideFactor(width: width)
        return ProcessorTraits()
    }

    public mutating func process(_ io: AudioBuffer, frames: Int, sidechain: AudioBuffer?) {
        // g = 0 (width 1) skips the loop: the formula would already return L and R, except that −0 + +0 = +0.
        guard io.channelCount == 2, g != 0 else { return }
        let l = io[0], r = io[1], g = g
        for i in 0..<frames {
            let d = g * (l[i] - r[i])
            l[i] += d
            r[i] -= d
        }
    }

    public mutating func reset() {}

    public mutating func set(_ parameter: ProcessorParameter, to value: Double) {
        guard parameter == .width else { return }
        width = value
        g = Self.sideFactor(width: value)
    }
}
