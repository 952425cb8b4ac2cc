// swift-tools-version:5.10
import PackageDescription

// Release builds keep Swift's checks (bounds, overflow, preconditions) everywhere: model files, data files
// and peers' messages are parsed in these modules, and a wrapped size must trap, not corrupt memory.
// The hot loops already run on unsafe pointers and in oneDNN: `quorum bench` showed no difference beyond the
// machine's noise against the former -Ounchecked build (docs/architecture.md).
let checked: [SwiftSetting] = []
// The numeric modules are optimised in debug builds too, so the test suite trains real models in seconds.
let numeric: [SwiftSetting] = checked + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Quorum",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quorum", targets: ["quorum"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2")
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .target(name: "QuorumCore", dependencies: ["CDNNL"], swiftSettings: numeric),
        .target(
            name: "QuorumData",
            dependencies: ["QuorumCore", "CZlib", "CTurboJPEG", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: numeric),
        .target(
            name: "QuorumTraining",
            dependencies: ["QuorumData", "QuorumCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: numeric),
        .target(name: "QuorumEnsemble", dependencies: ["QuorumData", "QuorumCore"], swiftSettings: checked),
        // Transport only: protocol, sockets, keys, the coordinator state machine, the worker loop, data shipping.
        .target(
            name: "QuorumCluster",
            dependencies: [
                "QuorumData", "QuorumCore", "CZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: checked),
        // A run's orchestration: plan, run directory, serving and checking members, summary, job runner, launcher.
        .target(
            name: "QuorumRun",
            dependencies: [
                "QuorumCluster", "QuorumTraining", "QuorumEnsemble", "QuorumData",
                "QuorumCore", .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: checked),
        // The HTTP service: routes, the dynamic batcher, request decoding, auth, metrics and the page.
        .target(
            name: "QuorumServe",
            dependencies: [
                "QuorumEnsemble", "QuorumMetrics", "QuorumData", "QuorumCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: checked),
        // A load generator: many simulated workers in one process, to measure a coordinator at scale.
        .target(
            name: "QuorumLoad",
            dependencies: [
                "QuorumCluster", "QuorumTraining", "QuorumData", "QuorumCore",
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: checked),
        // A coordinator's figures in Prometheus text format, and the small HTTP endpoint that serves them.
        .target(
            name: "QuorumMetrics",
            dependencies: [
                "QuorumCluster", .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: checked),
        .executableTarget(
            name: "quorum",
            dependencies: [
                "QuorumServe", "QuorumLoad", "QuorumMetrics",
                "QuorumRun", "QuorumCluster", "QuorumTraining", "QuorumEnsemble", "QuorumData", "QuorumCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log")
            ], swiftSettings: checked),
        // One entry point per parser, driven by the mutation tests and by libFuzzer (scripts/fuzz.sh).
        .target(
            name: "QuorumFuzzing", dependencies: ["QuorumCluster", "QuorumData", "QuorumCore", "CZlib"],
            swiftSettings: checked),
        .executableTarget(name: "QuorumFuzz", dependencies: ["QuorumFuzzing"], swiftSettings: checked),
        .testTarget(name: "QuorumCoreTests", dependencies: ["QuorumCore"]),
        .testTarget(
            name: "QuorumDataTests",
            dependencies: ["QuorumData", "QuorumCore", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "QuorumTrainingTests", dependencies: ["QuorumTraining", "QuorumData", "QuorumCore"]),
        .testTarget(
            name: "QuorumEnsembleTests",
            dependencies: [
                "QuorumEnsemble", "QuorumTraining", "QuorumData",
                "QuorumCore", "QuorumTestSupport"
            ]),
        // Harnesses the cluster and run tests share: a coordinator and workers on loopback, tiny IDX data.
        .target(
            name: "QuorumTestSupport",
            dependencies: [
                "QuorumCluster", "QuorumTraining", "QuorumEnsemble", "QuorumData", "QuorumCore",
                .product(name: "Logging", package: "swift-log")
            ],
            path: "Tests/QuorumTestSupport"),
        .testTarget(
            name: "QuorumClusterTests",
            dependencies: [
                "QuorumCluster", "QuorumTestSupport", "QuorumTraining",
                "QuorumData", "QuorumCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto")
            ]),
        .testTarget(
            name: "QuorumRunTests",
            dependencies: [
                "QuorumRun", "QuorumTestSupport", "QuorumCluster",
                "QuorumTraining", "QuorumEnsemble", "QuorumData",
                "QuorumCore", .product(name: "Logging", package: "swift-log")
            ]),
        .testTarget(
            name: "QuorumLoadTests",
            dependencies: [
                "QuorumLoad", "QuorumMetrics", "QuorumRun", "QuorumTestSupport", "QuorumCluster", "QuorumEnsemble",
                "QuorumTraining", "QuorumData", "QuorumCore", .product(name: "Logging", package: "swift-log")
            ]),
        .testTarget(name: "QuorumCLITests", dependencies: ["QuorumCore", "QuorumData"]),
        .testTarget(name: "QuorumFuzzTests", dependencies: ["QuorumFuzzing"]),
        .testTarget(
            name: "QuorumServeTests",
            dependencies: [
                "QuorumServe", "QuorumTestSupport", "QuorumEnsemble", "QuorumTraining", "QuorumData", "QuorumCore",
                .product(name: "Logging", package: "swift-log")
            ])
    ],
    swiftLanguageVersions: [.v5]
)
