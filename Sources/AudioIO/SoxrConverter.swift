import CSoxr

/// libsoxr at very high quality (28-bit, steep filter, linear phase), single-threaded so that the engine decides
/// how cores are used. The output is aligned with the input: soxr removes its own filter delay.
final class SoxrConverter: SampleRateConverter {
    private let handle: soxr_t
    private let label: String

    init(from inputRate: Int, to outputRate: Int, channels: Int, label: String) throws(AudioIOError) {
        self.label = label
        var error: soxr_error_t?
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(UInt(SOXR_VHQ), 0)
        var runtime = soxr_runtime_spec(1)
        guard let created = soxr_create(Double(inputRate), Double(outputRate), UInt32(channels), &error,
                                        &io, &quality, &runtime), error == nil else {
            throw AudioIOError(path: label, "cannot create the libsoxr resampler: \(error.map { String(cString: $0) } ?? "unknown error")")
        }
        handle = created
    }

    deinit { soxr_delete(handle) }

    func reset() { _ = soxr_clear(handle) }

    func process(input: UnsafePointer<Float>?, inputFrames: Int, endOfInput: Bool,
                 output: UnsafeMutablePointer<Float>, outputCapacity: Int) throws(AudioIOError) -> (used: Int, produced: Int) {
        var used = 0, produced = 0
        // soxr treats a nil input as "end of input, drain".
        let error = soxr_process(handle, endOfInput && inputFrames == 0 ? nil : UnsafeRawPointer(input), inputFrames,
                                 &used, UnsafeMutableRawPointer(output), outputCapacity, &produced)
        if let error { throw AudioIOError(path: label, "libsoxr failed: \(String(cString: error))") }
        return (used, produced)
    }
}
