import AudioIO
import DSP
import Foundation
import Recipe

extension Bounce {
    /// Longest impulse response a convolution reverb accepts, in seconds.
    static let longestImpulseResponse = 30.0

    /// Reads the header of every `ir:` file of an active `reverb` insert (tracks, buses, master), as the stems are
    /// probed: the compiler declares the reverb's tail from these facts without loading the audio. Problems become
    /// diagnostics at the insert's `ir` key. Returns the facts by absolute path.
    static func probeImpulseResponses(_ recipe: Recipe, diagnostics: inout [Diagnostic]) -> [String: ImpulseResponseFile] {
        let inserts = recipe.tracks.flatMap(\.inserts) + recipe.buses.flatMap(\.inserts) + recipe.master.inserts
        var facts: [String: ImpulseResponseFile] = [:]
        for insert in inserts where insert.processor.value == "reverb" && !insert.bypass {
            guard case .text(let path)? = insert.parameters["ir"], !path.isEmpty else { continue }
            let location = insert.locations["ir"] ?? insert.processor.location
            if facts[path] != nil { continue }
            do {
                let reader = try AudioFileReader(path: path)
                defer { reader.close() }
                let ir = ImpulseResponseFile(path: path, frames: reader.frames, sampleRate: reader.sampleRate,
                                             channels: reader.channels)
                if !ImpulseResponseFile.supportedChannels.contains(ir.channels) {
                    diagnostics.append(Diagnostic(at: location, "impulse response \(path) has \(ir.channels) channels: "
                                                  + "use a mono, stereo or 4-channel true-stereo file "
                                                  + "(L→L, L→R, R→L, R→R)"))
                } else if Double(ir.frames) / Double(ir.sampleRate) > longestImpulseResponse {
                    let seconds = String(format: "%.1f", Double(ir.frames) / Double(ir.sampleRate))
                    diagnostics.append(Diagnostic(at: location, "impulse response \(path) is \(seconds) s long: "
                                                  + "at most \(Int(longestImpulseResponse)) s"))
                } else {
                    facts[path] = ir
                }
            } catch {
                diagnostics.append(Diagnostic(at: location, "impulse response \(path): \(error.reason)"))
            }
        }
        return facts
    }
}
