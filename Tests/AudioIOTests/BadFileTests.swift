import AudioIO
import Foundation
import Testing
import TestSupport

/// Corrupt, truncated, empty and non-audio files give an error naming the file, never a crash.
@Suite struct BadFileTests {
    func readAll(_ path: String) throws {
        let reader = try AudioFileReader(path: path)
        let stream = try ResampledStem(reader: reader, outputRate: 48000,
                                       length: reader.frames * 48000 / Int64(reader.sampleRate), converter: .soxr,
                                       maxRequest: 4096)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 4096 * reader.channels)
        defer { buffer.deallocate() }
        var remaining = stream.length
        while remaining > 0 {
            let n = Int(min(remaining, 4096))
            try stream.read(into: buffer, frames: n)
            remaining -= Int64(n)
        }
    }

    @Test func missingFile() {
        let error = #expect(throws: AudioIOError.self) { try readAll("/nonexistent/kick.wav") }
        #expect(error?.description == "/nonexistent/kick.wav: file not found")
    }

    @Test func emptyFile() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("empty.wav")
        try Data().write(to: url)
        let error = #expect(throws: AudioIOError.self) { try readAll(url.path) }
        #expect(error?.description == "\(url.path): file is empty (0 bytes)")
    }

    @Test func textIsNotAudio() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("notes.wav")
        try Data("these are my lyrics, not audio\n".utf8).write(to: url)
        let error = #expect(throws: AudioIOError.self) { try readAll(url.path) }
        #expect(error?.description.hasPrefix("\(url.path): not a readable audio file") == true)
    }

    @Test func headerWithoutSamples() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("silent.wav")
        let writer = try AudioFileWriter(url: url, format: .init(.wav, .pcm16), channels: 1, sampleRate: 48000)
        try writer.commit()
        let error = #expect(throws: AudioIOError.self) { try readAll(url.path) }
        #expect(error?.description == "\(url.path): contains no audio (0 frames)")
    }

    @Test func truncatedFLACIsAnErrorNamingTheFile() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("cut.flac")
        try TestAudio.write([TestAudio.noise(frames: 96000)], to: url, sampleRate: 48000, format: .init(.flac, .pcm24))
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        let error = #expect(throws: AudioIOError.self) { try readAll(url.path) }
        #expect(error?.path == url.path)
    }

    @Test func corruptedFLACBodyIsAnErrorNamingTheFile() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("garbled.flac")
        try TestAudio.write([TestAudio.noise(frames: 96000)], to: url, sampleRate: 48000, format: .init(.flac, .pcm24))
        var data = try Data(contentsOf: url)
        // Overwrite the middle of the stream (after the headers) with garbage.
        for i in stride(from: data.count / 3, to: data.count * 2 / 3, by: 1) { data[i] = UInt8(truncatingIfNeeded: i &* 7) }
        try data.write(to: url)
        let error = #expect(throws: AudioIOError.self) { try readAll(url.path) }
        #expect(error?.path == url.path)
    }

    /// A WAV cut short still has a valid header; libsndfile reads the samples that are there. The stream then
    /// must not crash and must deliver exactly the promised length.
    @Test func truncatedWAVDoesNotCrash() throws {
        let folder = TemporaryDirectory()
        let url = folder.file("cut.wav")
        try TestAudio.write([TestAudio.noise(frames: 48000)], to: url, sampleRate: 48000, format: .init(.wav, .pcm24))
        let data = try Data(contentsOf: url)
        try data.prefix(data.count - 30001).write(to: url)
        do {
            try readAll(url.path)
        } catch let error as AudioIOError {
            #expect(error.path == url.path)
        }
    }
}
