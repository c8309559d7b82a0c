import AudioIO
import Foundation
import Testing
import TestSupport

@Suite struct RoundTripTests {
    static let formats: [AudioFileFormat] = [
        .init(.wav, .pcm16), .init(.wav, .pcm24), .init(.wav, .float32),
        .init(.flac, .pcm16), .init(.flac, .pcm24),
        .init(.aiff, .pcm16), .init(.aiff, .pcm24), .init(.aiff, .float32),
    ]

    /// Every writer format reads back within half a quantisation step (exactly, for float).
    @Test(arguments: formats)
    func writeThenRead(format: AudioFileFormat) throws {
        let folder = TemporaryDirectory()
        let url = folder.file("signal.\(format.fileExtension)")
        let left = TestAudio.sine(frequency: 997, sampleRate: 48000, frames: 9600, amplitude: 0.7)
        let right = TestAudio.noise(frames: 9600, amplitude: 0.5)
        try TestAudio.write([left, right], to: url, sampleRate: 48000, format: format)

        let (channels, rate) = try TestAudio.read(url)
        #expect(rate == 48000)
        #expect(channels.count == 2)
        #expect(channels[0].count == 9600)
        let step = format.encoding == .float32 ? 0 : 1 / Float(1 << (format.encoding.bitDepth - 1))
        var worst: Float = 0
        for (written, read) in zip([left, right], channels) {
            for (a, b) in zip(written, read) { worst = max(worst, abs(a - b)) }
        }
        #expect(worst <= step / 2 + 1e-9, "max error \(worst) for \(format)")
    }

    /// Integer formats clip at full scale instead of wrapping around.
    @Test func integerFormatsClip() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("hot.wav")
        try TestAudio.write([[1.5, -1.5, 0.5]], to: url, sampleRate: 48000, format: .init(.wav, .pcm24))
        let (channels, _) = try TestAudio.read(url)
        #expect(channels[0][0] > 0.999)
        #expect(channels[0][1] <= -0.999)
        #expect(abs(channels[0][2] - 0.5) < 1e-6)
    }

    @Test func flacHasNoFloatEncoding() {
        #expect(!AudioFileFormat(.flac, .float32).isSupported)
        let folder = TemporaryDirectory()
        #expect(throws: AudioIOError.self) {
            _ = try AudioFileWriter(url: folder.file("x.flac"), format: .init(.flac, .float32), channels: 2,
                                    sampleRate: 48000)
        }
    }
}

@Suite struct AtomicWriteTests {
    @Test func abortLeavesNothingAndKeepsTheOldFile() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("mix.wav")
        try TestAudio.write([[0.1, 0.2]], to: url, sampleRate: 48000)
        let before = try Data(contentsOf: url)

        let writer = try AudioFileWriter(url: url, format: .init(.wav, .pcm24), channels: 1, sampleRate: 48000)
        let samples: [Float] = [0.5, 0.5, 0.5]
        try samples.withUnsafeBufferPointer { try writer.write($0.baseAddress!, frames: 3) }
        #expect(FileManager.default.fileExists(atPath: writer.temporaryURL.path))
        writer.abort()

        #expect(try Data(contentsOf: url) == before, "the finished file under the final name is untouched")
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryURL.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["mix.wav"])
    }

    @Test func nothingUnderTheFinalNameUntilCommit() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("sub/dir/mix.flac")
        let writer = try AudioFileWriter(url: url, format: .init(.flac, .pcm24), channels: 2, sampleRate: 44100)
        let samples = [Float](repeating: 0.25, count: 200)
        try samples.withUnsafeBufferPointer { try writer.write($0.baseAddress!, frames: 100) }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        try writer.commit()
        #expect(FileManager.default.fileExists(atPath: url.path))
        #expect(!FileManager.default.fileExists(atPath: writer.temporaryURL.path))
        let (channels, rate) = try TestAudio.read(url)
        #expect(rate == 44100 && channels[0].count == 100)
    }

    @Test func unwritableFolderIsAClearError() throws {
        let folder = TemporaryDirectory()
        let blocker = folder.file("file")
        try Data("x".utf8).write(to: blocker)
        // A path *through* a regular file can never be created.
        let error = #expect(throws: AudioIOError.self) {
            _ = try AudioFileWriter(url: blocker.appendingPathComponent("mix.wav"), format: .init(.wav, .pcm24),
                                    channels: 2, sampleRate: 48000)
        }
        #expect(error?.description.contains("mix.wav") == true)
    }
}
