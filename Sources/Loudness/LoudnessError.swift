/// Why a `LoudnessMeter` could not be created.
public enum LoudnessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libebur128 refused the parameters (no channels, or a rate it cannot filter at).
    case invalidParameters(channels: Int, sampleRate: Int)
    /// libebur128 could not allocate its state.
    case outOfMemory

    public var description: String {
        switch self {
        case let .invalidParameters(channels, sampleRate):
            return "cannot measure loudness of \(channels) channel(s) at \(sampleRate) Hz"
        case .outOfMemory:
            return "not enough memory for the loudness meter"
        }
    }
}
