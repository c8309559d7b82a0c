/// Streaming sample-rate conversion of interleaved float audio.
public protocol SampleRateConverter: AnyObject {
    /// Consumes up to `inputFrames` from `input` (nil with `endOfInput` to drain) and writes up to
    /// `outputCapacity` frames to `output`. Returns frames consumed and produced.
    func process(input: UnsafePointer<Float>?, inputFrames: Int, endOfInput: Bool,
                 output: UnsafeMutablePointer<Float>, outputCapacity: Int) throws(AudioIOError) -> (used: Int, produced: Int)
    /// Back to the state of a new converter (for a fresh signal), without allocating.
    func reset()
}

public enum SampleRateConverters {
    public enum Kind: String, Sendable, CaseIterable { case soxr, libsamplerate }

    public static func make(_ kind: Kind, from inputRate: Int, to outputRate: Int, channels: Int,
                            label: String) throws(AudioIOError) -> any SampleRateConverter {
        switch kind {
        case .soxr:
            return try SoxrConverter(from: inputRate, to: outputRate, channels: channels, label: label)
        case .libsamplerate:
            return try LibsamplerateConverter(from: inputRate, to: outputRate, channels: channels, label: label)
        }
    }
}
