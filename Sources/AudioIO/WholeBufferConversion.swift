/// Sample-rate conversion of a signal held in memory (a premaster on its way to a delivery rate).
extension SampleRateConverters {
    /// Converts planar channels to `outputRate`; the result has exactly round(frames × outputRate / inputRate)
    /// frames (halves up), aligned with the input (the converters compensate their own delay).
    public static func convert(_ channels: [[Float]], from inputRate: Int, to outputRate: Int, kind: Kind = .soxr)
        throws(AudioIOError) -> [[Float]] {
        guard inputRate != outputRate, let first = channels.first else { return channels }
        let count = channels.count, frames = first.count
        let length = (frames * outputRate + inputRate / 2) / inputRate
        let converter = try make(kind, from: inputRate, to: outputRate, channels: count, label: "delivery resampler")
        let chunk = 8192
        let input = UnsafeMutablePointer<Float>.allocate(capacity: chunk * count)
        let capacity = chunk * outputRate / inputRate + 1024
        let output = UnsafeMutablePointer<Float>.allocate(capacity: capacity * count)
        defer {
            input.deallocate()
            output.deallocate()
        }
        var result = [[Float]](repeating: [], count: count)
        for c in 0..<count { result[c].reserveCapacity(length) }
        var position = 0
        var produced = 0
        func append(_ n: Int) {
            let take = min(n, length - produced)
            guard take > 0 else { return }
            for c in 0..<count { for i in 0..<take { result[c].append(output[i * count + c]) } }
            produced += take
        }
        while position < frames {
            let n = min(chunk, frames - position)
            for i in 0..<n { for c in 0..<count { input[i * count + c] = channels[c][position + i] } }
            var offset = 0
            while offset < n {
                let step = try converter.process(input: input + offset * count, inputFrames: n - offset,
                                                 endOfInput: false, output: output, outputCapacity: capacity)
                append(step.produced)
                offset += step.used
                if step.used == 0 && step.produced == 0 { break }
            }
            position += n
        }
        while produced < length {
            let step = try converter.process(input: nil, inputFrames: 0, endOfInput: true, output: output,
                                             outputCapacity: capacity)
            if step.produced == 0 { break }
            append(step.produced)
        }
        for c in 0..<count where result[c].count < length {
            result[c].append(contentsOf: [Float](repeating: 0, count: length - result[c].count))
        }
        return result
    }
}
