import AudioIO
import Foundation
import Testing
import TestSupport

/// A 1 kHz sine through each converter keeps its level within 0.01 dB and its timing, with noise plus
/// distortion below −120 dB (libsoxr VHQ) and −95 dB (libsamplerate SINC_BEST).
@Suite struct ResamplerQualityTests {
    struct Case: Sendable, CustomStringConvertible {
        var converter: SampleRateConverters.Kind
        var from: Int
        var to: Int
        var maxResidualDB: Double
        var description: String { "\(converter) \(from)→\(to)" }
    }

    static let cases: [Case] = [
        .init(converter: .soxr, from: 44100, to: 48000, maxResidualDB: -120),
        .init(converter: .soxr, from: 48000, to: 44100, maxResidualDB: -120),
        .init(converter: .soxr, from: 96000, to: 48000, maxResidualDB: -120),
        .init(converter: .libsamplerate, from: 44100, to: 48000, maxResidualDB: -95),
        .init(converter: .libsamplerate, from: 48000, to: 44100, maxResidualDB: -95),
        .init(converter: .libsamplerate, from: 96000, to: 48000, maxResidualDB: -95),
    ]

    @Test(arguments: cases)
    func sineSurvivesConversion(_ c: Case) throws {
        let folder = TemporaryDirectory()
        let url = folder.file("sine.wav")
        let seconds = 2
        let amplitude = 0.5
        try TestAudio.write([TestAudio.sine(frequency: 1000, sampleRate: c.from, frames: c.from * seconds,
                                            amplitude: amplitude)],
                            to: url, sampleRate: c.from, format: .init(.wav, .float32))
        let reader = try AudioFileReader(path: url.path)
        let length = Int64(c.to * seconds)
        let stream = try ResampledStem(reader: reader, outputRate: c.to, length: length, converter: c.converter,
                                       maxRequest: 1000)
        var output = [Float](repeating: 0, count: Int(length))
        try output.withUnsafeMutableBufferPointer { buffer in
            var at = 0
            while at < buffer.count {
                let n = min(1000, buffer.count - at)
                try stream.read(into: buffer.baseAddress! + at, frames: n)
                at += n
            }
        }
        // Skip 0.1 s at each end, where the converter's filter sees the signal start and stop.
        let margin = c.to / 10
        let fit = TestAudio.fitSine(output[margin..<(output.count - margin)], frequency: 1000, sampleRate: c.to,
                                    startIndex: margin)
        let levelError = 20 * log10(fit.amplitude / amplitude)
        #expect(abs(levelError) < 0.01, "level error \(levelError) dB")
        #expect(fit.residualDB < c.maxResidualDB, "noise + distortion \(fit.residualDB) dB")
        // Timing: the output sine starts at phase 0 like the input (converter delay is compensated).
        #expect(abs(fit.phase) < 0.001, "phase offset \(fit.phase) rad")
    }

    /// Converted length is round(frames × to / from), whatever the converter delivers.
    @Test func lengthIsExact() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("short.wav")
        try TestAudio.write([TestAudio.noise(frames: 44101)], to: url, sampleRate: 44100)
        for kind in SampleRateConverters.Kind.allCases {
            let reader = try AudioFileReader(path: url.path)
            let stream = try ResampledStem(reader: reader, outputRate: 48000, length: 48001, converter: kind,
                                           maxRequest: 48001)
            var output = [Float](repeating: 1, count: 48001)
            try output.withUnsafeMutableBufferPointer { try stream.read(into: $0.baseAddress!, frames: 48001) }
            #expect(output[47000] != 0, "\(kind) delivers the signal up to its end")
        }
    }
}
