import ArgumentParser
import BounceKit
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure Bounce's speed (use a release build).",
        subcommands: [ProcessorsBench.self])
}

struct ProcessorsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "processors", abstract: "Realtime factor of each processor on stereo 48 kHz, one thread.")

    @Option(help: "Seconds of audio per processor.") var seconds = 30.0
    @Option(help: "Only processors whose name contains this.") var filter: String?

    func run() throws {
        #if DEBUG
        printError("warning: debug build; measure with `swift build -c release`")
        #endif
        print("processor                          × realtime (stereo 48 kHz, 1 thread)")
        for result in ProcessorBenchmark.run(seconds: seconds, filter: filter) {
            print(result.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%12.0f", result.realtimeFactor))
        }
    }
}
