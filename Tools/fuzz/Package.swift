// swift-tools-version:5.4
// libFuzzer targets for Gatewatch. A separate package because libFuzzer supplies `main`: with
// tools-version 5.4 a plain target holding main.swift links when built with -parse-as-library,
// where a 5.9+ executableTarget fails (SwiftPM renames the entry point). The module folders under
// Sources/ are symlinks to the repo's own sources, so the fuzzers always test the current code.
// Build and run with Tools/fuzz.sh (it passes -sanitize=fuzzer,address -parse-as-library).
import PackageDescription

let package = Package(
    name: "gatewatch-fuzz",
    products: [
        .executable(name: "FuzzWire", targets: ["FuzzWire"]),
        .executable(name: "FuzzHTTP", targets: ["FuzzHTTP"]),
        .executable(name: "FuzzReassembly", targets: ["FuzzReassembly"]),
        .executable(name: "FuzzPipeline", targets: ["FuzzPipeline"]),
        .executable(name: "FuzzSavefile", targets: ["FuzzSavefile"]),
    ],
    targets: [
        .systemLibrary(name: "CPcap", path: "Sources/CPcap"),
        .target(name: "PacketWire"),
        .target(name: "TCPReassembly", dependencies: ["PacketWire"]),
        .target(name: "HTTP1"),
        .target(name: "Diagnosis"),
        .target(name: "Capture", dependencies: ["CPcap"]),
        .target(name: "Rendering", dependencies: ["PacketWire", "Diagnosis"]),
        .target(name: "GatewatchCore",
                dependencies: ["Capture", "PacketWire", "TCPReassembly", "HTTP1", "Diagnosis", "Rendering"]),
        .target(name: "FuzzWire", dependencies: ["PacketWire"]),
        .target(name: "FuzzHTTP", dependencies: ["HTTP1"]),
        .target(name: "FuzzReassembly", dependencies: ["TCPReassembly", "PacketWire"]),
        .target(name: "FuzzPipeline", dependencies: ["GatewatchCore"]),
        .target(name: "FuzzSavefile", dependencies: ["Capture"]),
    ],
    swiftLanguageVersions: [.version("6")]
)
