// swift-tools-version:6.2
// Release-mode benchmark of the HTTP1 head parser. Sources/HTTP1 is a relative symlink to the repo's module,
// because SwiftPM does not accept target paths outside the package.
import PackageDescription

let package = Package(
    name: "bench-parser",
    dependencies: [
        // For llhttp, which swift-nio builds as its C target CNIOLLHTTP and links through NIOHTTP1.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .target(name: "HTTP1", swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
        // nodejs http-parser 2.9 from Debian's libhttp-parser-dev, as a C comparison on the same heads.
        .target(name: "CHTTPParserBench", linkerSettings: [.linkedLibrary("http_parser")]),
        // llhttp as swift-nio builds it (c_nio_llhttp_* symbols); the header comes from the checkout.
        .target(name: "CLLHTTPBench",
                dependencies: [.product(name: "NIOHTTP1", package: "swift-nio")]),
        .executableTarget(name: "bench-parser", dependencies: ["HTTP1", "CHTTPParserBench", "CLLHTTPBench"],
                          swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
    ]
)
