// swift-tools-version: 6.0
import PackageDescription

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

        .target(name: "Recipe", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "DSP"),
        .target(name: "Convolution", dependencies: ["DSP", "CKissFFT"]),
        .target(name: "RenderGraph", dependencies: ["Recipe", "DSP"]),
        .target(name: "AudioIO", dependencies: ["CSndFile", "CSoxr", "CSampleRate"]),
        .target(name: "Loudness", dependencies: ["CEbur128"]),
        .target(name: "Engine", dependencies: ["RenderGraph", "DSP", "Convolution", "AudioIO"]),
        .target(name: "Delivery", dependencies: ["DSP", "Convolution", "AudioIO", "Loudness", "CCrypto"]),
        .target(name: "BounceKit", dependencies: ["Recipe", "RenderGraph", "Engine", "AudioIO", "DSP", "Convolution",
                                             "Loudness", "Delivery"]),
        .executableTarget(name: "bounce", dependencies: [
            "BounceKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

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
