import AudioIO
import BounceKit
import Foundation
import Loudness
import Testing
import TestSupport

// EBU Tech 3341 (tests 1–6, 9–19) and Tech 3342 (tests 1–4), synthesised here (`EBUSignals`), written to float WAV
// files and measured through `Bounce.analyze(path:)`, the code path of `bounce analyze`. Tolerances are the EBU ones:
// integrated, momentary and short-term ±0.1 LU, LRA ±1 LU, true peak +0.2/−0.4 dB.

/// Sample rates the definitions allow: all are stated per sample (1 kHz tones; true-peak tones at rate/4, /6, /8).
let conformanceRates = [48_000, 44_100]

/// Writes the channels to a float WAV in a fresh temporary folder and analyses that file.
func analyzeSignal(_ channels: [[Float]], sampleRate: Int) throws -> FileAnalysis {
    let folder = TemporaryDirectory("bounce-loudness")
    let url = folder.file("signal.wav")
    try TestAudio.write(channels, to: url, sampleRate: sampleRate)
    return try Bounce.analyze(path: url.path)
}

/// Records an issue unless `expected − minus ≤ actual ≤ expected + plus`.
func expectLevel(_ actual: Double, _ expected: Double, plus: Double, minus: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual <= expected + plus && actual >= expected - minus,
            "\(what) = \(actual), expected \(expected) +\(plus)/−\(minus)", sourceLocation: sourceLocation)
}

func expectLevel(_ actual: Double, _ expected: Double, within tolerance: Double, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    expectLevel(actual, expected, plus: tolerance, minus: tolerance, what, sourceLocation: sourceLocation)
}

private typealias S = EBUSignals.Segment

private func stereoTone(_ segments: [S], _ rate: Int) throws -> LoudnessMeasurement {
    let tone = EBUSignals.tone(segments, sampleRate: rate)
    return try analyzeSignal([tone, tone], sampleRate: rate).loudness
}

@Suite("EBU Tech 3341 through bounce analyze")
struct EBUTech3341Tests {
    @Test("1 and 2: stereo 1 kHz at −23 and −33 dBFS, 20 s: M, S, I equal the level", arguments: conformanceRates)
    func steadyTones(rate: Int) throws {
        for level in [-23.0, -33.0] {
            let m = try stereoTone([S(level, 20)], rate)
            expectLevel(m.integratedLUFS, level, within: 0.1, "I at \(level) dBFS, \(rate) Hz")
            expectLevel(m.momentaryMaxLUFS, level, within: 0.1, "M max at \(level) dBFS, \(rate) Hz")
            expectLevel(m.shortTermMaxLUFS, level, within: 0.1, "S max at \(level) dBFS, \(rate) Hz")
        }
    }

    @Test("3: −36/−23/−36 dBFS (10/60/10 s): the relative gate removes the quiet parts", arguments: conformanceRates)
    func relativeGate(rate: Int) throws {
        let m = try stereoTone([S(-36, 10), S(-23, 60), S(-36, 10)], rate)
        expectLevel(m.integratedLUFS, -23, within: 0.1, "I, \(rate) Hz")
    }

    @Test("4: −72/−36/−23/−36/−72 dBFS: the absolute gate removes −72", arguments: conformanceRates)
    func absoluteGate(rate: Int) throws {
        let m = try stereoTone([S(-72, 10), S(-36, 10), S(-23, 60), S(-36, 10), S(-72, 10)], rate)
        expectLevel(m.integratedLUFS, -23, within: 0.1, "I, \(rate) Hz")
    }

    @Test("5: −26/−20/−26 dBFS (20/20.1/20 s)", arguments: conformanceRates)
    func levelStep(rate: Int) throws {
        let m = try stereoTone([S(-26, 20), S(-20, 20.1), S(-26, 20)], rate)
        expectLevel(m.integratedLUFS, -23, within: 0.1, "I, \(rate) Hz")
    }

    @Test("6: 5.0 (L R C Ls Rs) and 5.1 with a silent LFE: L, R −28, C −24, Ls, Rs −30 dBFS", arguments: conformanceRates)
    func surround(rate: Int) throws {
        let tone = { (level: Double) in EBUSignals.tone([S(level, 20)], sampleRate: rate) }
        let left = tone(-28), centre = tone(-24), surround = tone(-30)
        let silence = [Float](repeating: 0, count: left.count)
        let five = try analyzeSignal([left, left, centre, surround, surround], sampleRate: rate)
        expectLevel(five.loudness.integratedLUFS, -23, within: 0.1, "I of 5.0, \(rate) Hz")
        let six = try analyzeSignal([left, left, centre, silence, surround, surround], sampleRate: rate)
        expectLevel(six.loudness.integratedLUFS, -23, within: 0.1, "I of 5.1, \(rate) Hz")
        #expect(six.channels == 6)
    }

    @Test("9: [−20 dBFS 1.34 s, −30 dBFS 1.66 s] × 5: S = −23", arguments: conformanceRates)
    func shortTermOfAlternation(rate: Int) throws {
        let m = try stereoTone(Array(repeating: [S(-20, 1.34), S(-30, 1.66)], count: 5).flatMap { $0 }, rate)
        expectLevel(m.shortTermMaxLUFS, -23, within: 0.1, "S max, \(rate) Hz")
    }

    /// Leading silence of test files 10 and 11: steps of 153.7 ms put the burst at many phases of the 100 ms
    /// evaluation grid (0, 53.7, 7.4, 61.1 … ms past a boundary).
    static func shortTermLead(_ index: Int) -> Double { 0.25 + 0.1537 * Double(index) }
    /// Leading silence of test files 13 and 14: steps of 23.7 ms, at many phases of the 10 ms grid.
    static func momentaryLead(_ index: Int) -> Double { 0.25 + 0.0237 * Double(index) }

    @Test("10: a 3 s burst at −23 dBFS at 20 offsets: max S = −23 in every file", arguments: conformanceRates, 0..<20)
    func shortTermBurstOffsets(rate: Int, index: Int) throws {
        let m = try stereoTone([S(nil, Self.shortTermLead(index)), S(-23, 3), S(nil, 1)], rate)
        expectLevel(m.shortTermMaxLUFS, -23, within: 0.1, "S max, file \(index + 1), \(rate) Hz")
    }

    @Test("11: 3 s bursts at −38 … −19 dBFS: max S reads each level", arguments: conformanceRates, 0..<20)
    func shortTermBurstLevels(rate: Int, index: Int) throws {
        let level = -38.0 + Double(index)
        let m = try stereoTone([S(nil, Self.shortTermLead(index)), S(level, 3), S(nil, 1)], rate)
        expectLevel(m.shortTermMaxLUFS, level, within: 0.1, "S max of the \(level) dBFS burst, \(rate) Hz")
    }

    @Test("12: [−20 dBFS 0.18 s, −30 dBFS 0.22 s] × 25: M = −23", arguments: conformanceRates)
    func momentaryOfAlternation(rate: Int) throws {
        let m = try stereoTone(Array(repeating: [S(-20, 0.18), S(-30, 0.22)], count: 25).flatMap { $0 }, rate)
        expectLevel(m.momentaryMaxLUFS, -23, within: 0.1, "M max, \(rate) Hz")
    }

    @Test("13: a 0.4 s burst at −23 dBFS at 20 offsets: max M = −23 in every file", arguments: conformanceRates, 0..<20)
    func momentaryBurstOffsets(rate: Int, index: Int) throws {
        let m = try stereoTone([S(nil, Self.momentaryLead(index)), S(-23, 0.4), S(nil, 1)], rate)
        expectLevel(m.momentaryMaxLUFS, -23, within: 0.1, "M max, file \(index + 1), \(rate) Hz")
    }

    @Test("14: 0.4 s bursts at −38 … −19 dBFS: max M reads each level", arguments: conformanceRates, 0..<20)
    func momentaryBurstLevels(rate: Int, index: Int) throws {
        let level = -38.0 + Double(index)
        let m = try stereoTone([S(nil, Self.momentaryLead(index)), S(level, 0.4), S(nil, 1)], rate)
        expectLevel(m.momentaryMaxLUFS, level, within: 0.1, "M max of the \(level) dBFS burst, \(rate) Hz")
    }

    struct TruePeakCase: Sendable, CustomTestStringConvertible {
        var test: Int, divisor: Double, phaseDegrees: Double, amplitude: Double, expected: Double
        var testDescription: String { "test \(test): rate/\(Int(divisor)), \(phaseDegrees)°, \(amplitude) FS" }
    }

    static let truePeakCases = [
        TruePeakCase(test: 15, divisor: 4, phaseDegrees: 0, amplitude: 0.5, expected: -6),
        TruePeakCase(test: 16, divisor: 4, phaseDegrees: 45, amplitude: 0.5, expected: -6),
        TruePeakCase(test: 17, divisor: 6, phaseDegrees: 60, amplitude: 0.5, expected: -6),
        TruePeakCase(test: 18, divisor: 8, phaseDegrees: 67.5, amplitude: 0.5, expected: -6),
        TruePeakCase(test: 19, divisor: 4, phaseDegrees: 45, amplitude: 1.41, expected: 3),
    ]

    @Test("15–19: true peak of inter-sample peaks, +0.2/−0.4 dB", arguments: conformanceRates, truePeakCases)
    func truePeak(rate: Int, signal: TruePeakCase) throws {
        let samples = EBUSignals.truePeak(sampleRate: rate, divisor: signal.divisor, phaseDegrees: signal.phaseDegrees,
                                          amplitude: signal.amplitude)
        let m = try analyzeSignal([samples, samples], sampleRate: rate).loudness
        expectLevel(m.truePeakDBTP, signal.expected, plus: 0.2, minus: 0.4, "TP, test \(signal.test), \(rate) Hz")
        let samplePeak = 20 * log10(Double(samples.map { abs($0) }.max()!))
        expectLevel(m.samplePeakDBFS, samplePeak, within: 1e-6, "sample peak, test \(signal.test), \(rate) Hz")
        #expect(m.truePeakDBTP >= m.samplePeakDBFS)
    }
}

@Suite("EBU Tech 3342 through bounce analyze")
struct EBUTech3342Tests {
    @Test("1–4: loudness range of stepped 1 kHz tones (20 s segments), ±1 LU", arguments: conformanceRates)
    func loudnessRange(rate: Int) throws {
        let cases: [(levels: [Double], expected: Double)] = [
            ([-20, -30], 10), ([-20, -15], 5), ([-40, -20], 20), ([-50, -35, -20, -35, -50], 15),
        ]
        for (number, test) in cases.enumerated() {
            let m = try stereoTone(test.levels.map { S($0, 20) }, rate)
            expectLevel(m.loudnessRangeLU, test.expected, within: 1, "LRA, test \(number + 1), \(rate) Hz")
        }
    }
}

@Suite("bounce analyze: file facts")
struct FileAnalysisTests {
    @Test("format, bit depth, frames and duration come from the file")
    func fileFacts() throws {
        let folder = TemporaryDirectory("bounce-analyze")
        let tone = EBUSignals.tone([S(-20, 1.5)], sampleRate: 44_100)
        let formats: [(AudioFileFormat, Int, String)] = [
            (AudioFileFormat(.wav, .pcm16), 16, "WAV 16-bit"), (AudioFileFormat(.flac, .pcm24), 24, "FLAC 24-bit"),
            (AudioFileFormat(.aiff, .pcm24), 24, "AIFF 24-bit"), (AudioFileFormat(.wav, .float32), 32, "WAV 32-bit float"),
        ]
        for (format, bits, description) in formats {
            let url = folder.file("tone.\(format.fileExtension)")
            try TestAudio.write([tone], to: url, sampleRate: 44_100, format: format)
            let analysis = try Bounce.analyze(path: url.path)
            #expect(analysis.file == url.path)
            #expect(analysis.bitDepth == bits)
            #expect(analysis.format == description)
            #expect(analysis.channels == 1 && analysis.sampleRate == 44_100)
            #expect(analysis.frames == Int64(tone.count))
            #expect(abs(analysis.durationSeconds - 1.5) < 1e-9)
            // A mono 1 kHz sine is measured as one channel (weight 1.0): 3 LU below the stereo reading of −20.
            expectLevel(analysis.loudness.integratedLUFS, -23, within: 0.1, "mono I, \(description)")
        }
    }

    @Test("silence: levels are −∞ and the range 0; JSON writes null")
    func silence() throws {
        let silent = [Float](repeating: 0, count: 48_000 * 4)
        let analysis = try analyzeSignal([silent, silent], sampleRate: 48_000)
        let m = analysis.loudness
        #expect(m.integratedLUFS == -.infinity && m.truePeakDBTP == -.infinity && m.samplePeakDBFS == -.infinity)
        #expect(m.momentaryMaxLUFS == -.infinity && m.shortTermMaxLUFS == -.infinity && m.loudnessRangeLU == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(analysis.jsonLine.utf8)) as? [String: Any])
        #expect(object["integrated_lufs"] is NSNull)
        #expect(object["true_peak_dbtp"] is NSNull)
        #expect(object["loudness_range_lu"] as? Double == 0)
    }

    @Test("missing, empty and non-audio files are errors naming the file")
    func badFiles() throws {
        let folder = TemporaryDirectory("bounce-analyze")
        let missing = folder.file("missing.wav").path
        let empty = folder.write("", to: "empty.wav")
        let text = folder.write("not audio at all", to: "notes.wav")
        for path in [missing, empty, text] {
            #expect {
                _ = try Bounce.analyze(path: path)
            } throws: { error in
                (error as? AudioIOError)?.path == path
            }
        }
    }
}
