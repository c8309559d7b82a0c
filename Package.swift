// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Code generation for the building machine's x86-64 level, like `-march=native`: where it has the x86-64-v3
/// instruction set (AVX2, FMA, BMI2…: Intel since Haswell, AMD since Excavator/Zen), the project's own modules are
/// compiled for it (LLVM's `haswell` CPU); 256-bit vectors make the album-32 benchmark about 14 % cheaper. The
/// output bytes are the same either way: Swift does not contract `a * b + c` into FMA and keeps every floating-point
/// operation's order, so only the vector width changes (docs/performance.md). `BOUNCE_PORTABLE=1` builds for
/// baseline x86-64, for a binary that must run on other machines.
let codeGeneration: [SwiftSetting] = {
    #if os(Linux) && arch(x86_64)
    if ProcessInfo.processInfo.environment["BOUNCE_PORTABLE"].map({ !$0.isEmpty && $0 != "0" }) == true { return [] }
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
    let flags = Set(line.split(separator: " ").map(String.init))
    let haswell = ["sse4_2", "popcnt", "avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "abm", "movbe", "xsave",
                   "pclmulqdq", "aes", "fsgsbase", "rdrand"]
    return haswell.allSatisfy(flags.contains) ? [.unsafeFlags(["-target-cpu", "haswell"])] : []
    #else
    return []
    #endif
}()

// Data flows one way: Recipe -> RenderGraph -> Engine -> (AudioIO) -> files.
// DSP depends on nothing; only AudioIO and Loudness touch C libraries;
// the executable depends only on the façade (BounceKit) and ArgumentParser.
let package = Package(
    name: "Bounce",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bounce", targets: ["bounce"]),
        .library(name: "BounceKit", targets: ["BounceKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CSoxr", path: "Sources/CSoxr", pkgConfig: "soxr",
                       providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CSampleRate", path: "Sources/CSampleRate", pkgConfig: "samplerate",
                       providers: [.apt(["libsamplerate0-dev"])]),
        // No pkgConfig: its cflags (-Dkiss_fft_scalar=float) are refused by SwiftPM; see Sources/CKissFFT/shim.h.
        .systemLibrary(name: "CKissFFT", path: "Sources/CKissFFT", providers: [.apt(["libkissfft-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CEbur128", path: "Sources/CEbur128", pkgConfig: "libebur128",
                       providers: [.apt(["libebur128-dev"])]),

        .target(name: "Recipe", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: codeGeneration),
        .target(name: "DSP", swiftSettings: codeGeneration),
        .target(name: "Convolution", dependencies: ["DSP", "CKissFFT"], swiftSettings: codeGeneration),
        .target(name: "RenderGraph", dependencies: ["Recipe", "DSP"], swiftSettings: codeGeneration),
        .target(name: "AudioIO", dependencies: ["CSndFile", "CSoxr", "CSampleRate"], swiftSettings: codeGeneration),
        .target(name: "Loudness", dependencies: ["CEbur128"], swiftSettings: codeGeneration),
        .target(name: "Engine", dependencies: ["RenderGraph", "DSP", "Convolution", "AudioIO"], swiftSettings: codeGeneration),
        .target(name: "Delivery", dependencies: ["DSP", "Convolution", "AudioIO", "Loudness", "CCrypto"], swiftSettings: codeGeneration),
        .target(name: "BounceKit", dependencies: ["Recipe", "RenderGraph", "Engine", "AudioIO", "DSP", "Convolution",
                                             "Loudness", "Delivery"], swiftSettings: codeGeneration),
        .executableTarget(name: "bounce", dependencies: [
            "BounceKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: codeGeneration),

        .target(name: "TestSupport", dependencies: ["AudioIO"], path: "Tests/TestSupport"),
        .testTarget(name: "RecipeTests", dependencies: ["Recipe", "TestSupport"]),
        .testTarget(name: "DSPTests", dependencies: ["DSP", "Convolution"]),
        .testTarget(name: "RenderGraphTests", dependencies: ["RenderGraph", "Recipe"]),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "BounceKit", "TestSupport"]),
        .testTarget(name: "BounceKitTests", dependencies: ["BounceKit", "TestSupport"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "TestSupport"]),
        .testTarget(name: "LoudnessTests", dependencies: ["Loudness", "TestSupport"]),
    ]
)
