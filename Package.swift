// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "medk",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "medk", targets: ["medk-cli"]),
        .library(name: "MEDKCore", targets: ["MEDKCore"]),
        .library(name: "MEDKServer", targets: ["MEDKServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // PostgreSQL's reference C client (Debian's libpq-dev), for the PostgreSQL store; see
        // docs/postgresql.md for why it and not PostgresNIO.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(
            name: "MEDKCore",
            dependencies: [
                "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // The metrics API only: the server chooses where they go (Prometheus).
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The API's request and response bodies, once, for the server, the CLI and the tests.
        .target(
            name: "MEDKAPI",
            dependencies: ["MEDKCore"]
        ),
        .target(
            name: "MEDKServer",
            dependencies: [
                "MEDKCore",
                "MEDKAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/templates"), .copy("Resources/static")]
        ),
        // The SMTP client: mail leaves through the operator's server (MailTransport of the core).
        .target(
            name: "MEDKMail",
            dependencies: [
                "MEDKCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // glibc's malloc tuning, which Swift's Glibc module does not export (see Serve.swift).
        .target(name: "CMallocTuning"),
        .executableTarget(
            name: "medk-cli",
            dependencies: [
                "CMallocTuning",
                "MEDKCore",
                "MEDKAPI",
                "MEDKServer",
                "MEDKMail",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MEDKTestSupport",
            dependencies: ["MEDKCore"],
            path: "Tests/MEDKTestSupport"
        ),
        .testTarget(
            name: "MEDKCoreTests",
            dependencies: ["MEDKCore", "MEDKTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "MEDKServerTests",
            dependencies: [
                "MEDKCore", "MEDKAPI", "MEDKServer", "MEDKTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "MEDKMailTests",
            dependencies: ["MEDKCore", "MEDKMail", "MEDKTestSupport"]
        ),
        .testTarget(
            name: "MEDKCLITests",
            dependencies: ["CMallocTuning", "MEDKCore", "MEDKAPI", "MEDKServer", "MEDKTestSupport", "medk-cli"]
        ),
    ]
)
