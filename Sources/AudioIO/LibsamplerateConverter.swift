import CSampleRate

/// libsamplerate with its best sinc converter (SRC_SINC_BEST_QUALITY), selectable with `session.resampler`.
final class LibsamplerateConverter: SampleRateConverter {
    private let state: OpaquePointer
    private let ratio: Double
    private let label: String

    init(from inputRate: Int, to outputRate: Int, channels: Int, label: String) throws(AudioIOError) {
        self.label = label
        ratio = Double(outputRate) / Double(inputRate)
        var error: Int32 = 0
        guard let created = src_new(Int32(SRC_SINC_BEST_QUALITY), Int32(channels), &error) else {
            throw AudioIOError(path: label, "cannot create the libsamplerate converter: \(String(cString: src_strerror(error)))")
        }
        state = created
    }

    deinit { src_delete(state) }

    func reset() { _ = src_reset(state) }

    func process(input: UnsafePointer<Float>?, inputFrames: Int, endOfInput: Bool,
                 output: UnsafeMutablePointer<Float>, outputCapacity: Int) throws(AudioIOError) -> (used: Int, produced: Int) {
        var data = SRC_DATA()
        data.data_in = input
        data.input_frames = inputFrames
        data.data_out = output
        data.output_frames = outputCapacity
        data.end_of_input = endOfInput ? 1 : 0
        data.src_ratio = ratio
        let error = src_process(state, &data)
        if error != 0 { throw AudioIOError(path: label, "libsamplerate failed: \(String(cString: src_strerror(error)))") }
        return (Int(data.input_frames_used), Int(data.output_frames_gen))
    }
}
