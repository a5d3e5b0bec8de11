// swift-tools-version:6.2
// Gatewatch: a packet-capture HTTP dissector that explains 502s.
import PackageDescription

// Cross-module optimisation lets the packet loop inline calls into PacketWire, TCPReassembly and
// HTTP1; without it every per-packet call crosses a module boundary unspecialised.
let optimise: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "gatewatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gatewatch", targets: ["gatewatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CPcap", path: "Sources/CPcap",
                       providers: [.apt(["libpcap-dev"])]),
        .target(name: "PacketWire", swiftSettings: optimise),
        .target(name: "TCPReassembly", dependencies: ["PacketWire"], swiftSettings: optimise),
        .target(name: "HTTP1", swiftSettings: optimise),
        .target(name: "Diagnosis", swiftSettings: optimise),
        .target(name: "Capture", dependencies: ["CPcap"], swiftSettings: optimise),
        .target(name: "Rendering", dependencies: ["PacketWire", "Diagnosis"], swiftSettings: optimise),
        .target(name: "GatewatchCore",
                dependencies: ["Capture", "PacketWire", "TCPReassembly", "HTTP1", "Diagnosis", "Rendering"],
                swiftSettings: optimise),
        .executableTarget(name: "gatewatch",
                          dependencies: ["GatewatchCore", "Capture", "HTTP1", "Rendering",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: optimise),
        .testTarget(name: "PacketWireTests", dependencies: ["PacketWire"]),
        .testTarget(name: "TCPReassemblyTests", dependencies: ["TCPReassembly", "PacketWire"]),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis"], exclude: ["Pages"]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "PacketWire"]),
        // The CLI tests run the built binary, so the executable is a dependency to keep it current.
        .testTarget(name: "GatewatchTests", dependencies: ["GatewatchCore", "Capture", "PacketWire", "gatewatch"]),
    ]
)
