// swift-tools-version:6.2
// Release-mode benchmark of the HTTP1 head parser. Sources/HTTP1 is a relative symlink to the repo's module,
// because SwiftPM does not accept target paths outside the package.
import PackageDescription

let package = Package(
    name: "bench-parser",
    targets: [
        .target(name: "HTTP1", swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
        // nodejs http-parser 2.9 from Debian's libhttp-parser-dev, as a C comparison on the same heads.
        .target(name: "CHTTPParserBench", linkerSettings: [.linkedLibrary("http_parser")]),
        .executableTarget(name: "bench-parser", dependencies: ["HTTP1", "CHTTPParserBench"],
                          swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
    ]
)
