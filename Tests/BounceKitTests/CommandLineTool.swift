import Foundation

/// Runs the built `bounce` executable, which sits next to the test bundle in the build folder.
struct CommandLineTool {
    static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the runner is .build/<config>/BouncePackageTests.xctest (a file); on macOS a bundle inside it.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("bounce").path),
              folder.pathComponents.count > 1 {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("bounce")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs to completion.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = try start(arguments, in: directory)
        let out = process.out.fileHandleForReading.readDataToEndOfFile()
        let err = process.err.fileHandleForReading.readDataToEndOfFile()
        process.process.waitUntilExit()
        return Result(status: process.process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    static func start(_ arguments: [String], in directory: URL? = nil) throws
        -> (process: Process, out: Pipe, err: Pipe) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }
}
