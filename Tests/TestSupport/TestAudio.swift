import AudioIO
import Foundation

/// A temporary folder removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL

    public init(_ prefix: String = "bounce-test") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes text (a recipe) and returns its path.
    @discardableResult
    public func write(_ text: String, to name: String) -> String {
        let target = file(name)
        try! text.write(to: target, atomically: true, encoding: .utf8)
        return target.path
    }
}

/// Small helpers for making and reading test signals.
public enum TestAudio {
    /// `amplitude · sin(2π f n / rate + phase)` for n in 0..<frames, computed in Double.
    public static func sine(frequency: Double, sampleRate: Int, frames: Int, amplitude: Double = 0.5,
                            phase: Double = 0) -> [Float] {
        (0..<frames).map { n in Float(amplitude * sin(2 * .pi * frequency * Double(n) / Double(sampleRate) + phase)) }
    }

    /// Deterministic white noise in ±amplitude (a fixed linear congruential generator, not the system RNG).
    public static func noise(frames: Int, amplitude: Float = 0.25, seed: UInt64 = 1) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<frames).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Float(Double(state >> 11) / Double(1 << 53))
            return (unit * 2 - 1) * amplitude
        }
    }

    /// Writes planar channels to a file in the given format.
    public static func write(_ channels: [[Float]], to url: URL, sampleRate: Int,
                             format: AudioFileFormat = AudioFileFormat(.wav, .float32)) throws {
        let frames = channels[0].count
        var interleaved = [Float](repeating: 0, count: frames * channels.count)
        for (c, channel) in channels.enumerated() {
            for i in 0..<frames { interleaved[i * channels.count + c] = channel[i] }
        }
        let writer = try AudioFileWriter(url: url, format: format, channels: channels.count, sampleRate: sampleRate)
        try interleaved.withUnsafeBufferPointer { try writer.write($0.baseAddress!, frames: frames) }
        try writer.commit()
    }

    /// Reads a whole (small, test-sized) file into planar channels.
    public static func read(_ url: URL) throws -> (channels: [[Float]], sampleRate: Int) {
        let reader = try AudioFileReader(path: url.path)
        let frames = Int(reader.frames)
        var interleaved = [Float](repeating: 0, count: frames * reader.channels)
        let got = try interleaved.withUnsafeMutableBufferPointer { try reader.read(into: $0.baseAddress!, frames: frames) }
        var channels = [[Float]](repeating: [Float](repeating: 0, count: got), count: reader.channels)
        for c in 0..<reader.channels {
            for i in 0..<got { channels[c][i] = interleaved[i * reader.channels + c] }
        }
        return (channels, reader.sampleRate)
    }

    /// Least-squares fit of `a·sin + b·cos + c` at a known frequency; returns amplitude, phase and the
    /// residual (noise plus distortion) relative to the fitted sine, in dB.
    public static func fitSine(_ samples: ArraySlice<Float>, frequency: Double, sampleRate: Int, startIndex: Int)
        -> (amplitude: Double, phase: Double, residualDB: Double) {
        var sums = [[Double]](repeating: [Double](repeating: 0, count: 3), count: 3)
        var rhs = [Double](repeating: 0, count: 3)
        for (k, sample) in samples.enumerated() {
            let t = 2 * Double.pi * frequency * Double(startIndex + k) / Double(sampleRate)
            let basis = [sin(t), cos(t), 1.0]
            for i in 0..<3 {
                rhs[i] += basis[i] * Double(sample)
                for j in 0..<3 { sums[i][j] += basis[i] * basis[j] }
            }
        }
        let solution = solve3(sums, rhs)
        var residual = 0.0
        for (k, sample) in samples.enumerated() {
            let t = 2 * Double.pi * frequency * Double(startIndex + k) / Double(sampleRate)
            let model = solution[0] * sin(t) + solution[1] * cos(t) + solution[2]
            residual += (Double(sample) - model) * (Double(sample) - model)
        }
        let amplitude = (solution[0] * solution[0] + solution[1] * solution[1]).squareRoot()
        let signalPower = amplitude * amplitude / 2 * Double(samples.count)
        return (amplitude, atan2(solution[1], solution[0]), 10 * log10(residual / signalPower))
    }

    private static func solve3(_ m: [[Double]], _ v: [Double]) -> [Double] {
        var a = m, b = v
        for col in 0..<3 {
            let pivot = (col..<3).max { abs(a[$0][col]) < abs(a[$1][col]) }!
            a.swapAt(col, pivot)
            b.swapAt(col, pivot)
            for row in (col + 1)..<3 {
                let f = a[row][col] / a[col][col]
                for k in col..<3 { a[row][k] -= f * a[col][k] }
                b[row] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: 3)
        for row in stride(from: 2, through: 0, by: -1) {
            var s = b[row]
            for k in (row + 1)..<3 { s -= a[row][k] * x[k] }
            x[row] = s / a[row][row]
        }
        return x
    }
}
