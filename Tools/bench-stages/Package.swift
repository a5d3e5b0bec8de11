// swift-tools-version:6.2
// Release-mode microbenchmark of the packet path's stages: frame decode (full and short) and TCP
// reassembly. Sources/PacketWire and Sources/TCPReassembly are relative symlinks to the repo's
// modules, because SwiftPM does not accept target paths outside the package.
import PackageDescription

let package = Package(
    name: "bench-stages",
    targets: [
        .target(name: "PacketWire", swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
        .target(name: "TCPReassembly", dependencies: ["PacketWire"],
                swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
        .executableTarget(name: "bench-stages", dependencies: ["PacketWire", "TCPReassembly"],
                          swiftSettings: [.unsafeFlags(["-cross-module-optimization"])]),
    ]
)
