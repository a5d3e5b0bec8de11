// The packet loop's short decode over every frame of the committed, reference and peer captures:
// the values of the full decode whenever it takes a frame, and every common frame taken.

import Capture
import Foundation
import PacketWire
import Testing

@Suite struct SegmentDecoderCaptureTests {
    static var files: [URL] {
        var urls: [URL] = []
        let manager = FileManager.default
        var directories = [BinaryRunner.repositoryRoot.appendingPathComponent("Captures")]
        if let shared = BinaryRunner.sharedDirectory {
            directories += [shared.appendingPathComponent("captures"), shared.appendingPathComponent("peer-captures")]
        }
        for directory in directories {
            let names = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
            urls += names.sorted().filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") || $0.hasSuffix(".cap") }
                .map { directory.appendingPathComponent($0) }
        }
        return urls
    }

    @Test func everyFrameAgreesWithTheFullDecode() throws {
        var frames = 0
        var taken = 0
        var fullTCP = 0
        var problems: [String] = []
        for url in Self.files {
            guard let handle = try? PcapHandle.openOffline(path: url.path) else { continue }
            let linkType = LinkType(dlt: handle.dataLinkType)
            var number = 0
            reading: while number < 200_000 {
                switch handle.next() {
                case .packet(let record):
                    number += 1
                    frames += 1
                    let bytes = Array(record.bytes)
                    let check = SegmentDecoder.differenceFromFullDecode(bytes.span, linkType: linkType)
                    if check.accepted { taken += 1 }
                    if let difference = check.difference, problems.count < 10 {
                        problems.append("\(url.lastPathComponent) frame \(number): \(difference)")
                    }
                    let full = FrameDecoder.decode(bytes.span, linkType: linkType, tcpOptionsOnSYNOnly: true)
                    if full.error == nil, full.tcp != nil, full.network?.isFragment == false { fullTCP += 1 }
                default:
                    break reading
                }
            }
        }
        #expect(problems.isEmpty, "\(problems)")
        #expect(frames > 1_000)
        // Nearly every whole TCP segment is of the common kind; the rest are tunnels, tags and options.
        #expect(taken > 0 && Double(taken) >= 0.9 * Double(fullTCP), "took \(taken) of \(fullTCP) TCP segments")
    }
}
