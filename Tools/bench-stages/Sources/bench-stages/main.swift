// Times the packet path's stages over the frames of a capture held in memory: frame decode (the
// full FrameDecoder, and the short SegmentDecoder the packet loop uses) and TCP reassembly.

import Glibc
import PacketWire
import TCPReassembly

/// CPU time of this thread in nanoseconds: other processes on a shared machine do not count.
func threadCPUNanoseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e9 + Double(spec.tv_nsec)
}

func fail(_ message: String) -> Never {
    print("bench-stages: \(message)")
    exit(2)
}

/// `value` with `digits` decimals (no Foundation here).
func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    guard digits > 0 else { return String(scaled) }
    let whole = scaled / Int(scale), part = scaled % Int(scale)
    let fraction = String(part)
    return "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
}

/// The frames of a classic pcap file, back to back in one array.
struct Frames {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var lengths: [Int] = []
    var times: [Int64] = []
    var linkType = LinkType.ethernet

    init(path: String) {
        guard let file = fopen(path, "rb") else { fail("cannot open \(path)") }
        defer { fclose(file) }
        var whole: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            whole += chunk[0..<count]
        }
        guard whole.count >= 24 else { fail("\(path): not a classic pcap file") }
        func word(_ offset: Int, swapped: Bool) -> UInt32 {
            let value = UInt32(whole[offset]) | UInt32(whole[offset + 1]) << 8 | UInt32(whole[offset + 2]) << 16 | UInt32(whole[offset + 3]) << 24
            return swapped ? value.byteSwapped : value
        }
        let magic = word(0, swapped: false)
        let (swapped, nanoseconds): (Bool, Bool)
        switch magic {
        case 0xA1B2_C3D4: (swapped, nanoseconds) = (false, false)
        case 0xA1B2_3C4D: (swapped, nanoseconds) = (false, true)
        case 0xD4C3_B2A1: (swapped, nanoseconds) = (true, false)
        case 0x4D3C_B2A1: (swapped, nanoseconds) = (true, true)
        default: fail("\(path): not a classic pcap file (pcapng: convert it with editcap -F pcap)")
        }
        linkType = LinkType(dlt: Int32(bitPattern: word(20, swapped: swapped) & 0x0FFF_FFFF))
        var offset = 24
        while offset + 16 <= whole.count {
            let captured = Int(word(offset + 8, swapped: swapped))
            guard offset + 16 + captured <= whole.count else { break }
            let fraction = Int64(word(offset + 4, swapped: swapped))
            times.append(Int64(word(offset, swapped: swapped)) * 1_000_000_000 + (nanoseconds ? fraction : fraction * 1000))
            starts.append(bytes.count)
            lengths.append(captured)
            bytes += whole[(offset + 16)..<(offset + 16 + captured)]
            offset += 16 + captured
        }
    }
}

/// Counts what reassembly hands on, so the optimiser cannot drop the work.
struct CountingHandler: TCPStreamHandler {
    var connections = 0
    var bytes = 0
    var gaps = 0
    mutating func connectionOpened(_ info: ConnectionInfo) { connections &+= 1 }
    mutating func streamData(_ bytes: Span<UInt8>, stream: Int, direction: StreamDirection, offset: UInt64, frame: UInt64, time: Int64) {
        self.bytes &+= bytes.count
    }
    mutating func streamGap(stream: Int, direction: StreamDirection, offset: UInt64, length: UInt64, reason: GapReason, frame: UInt64, time: Int64) {
        gaps &+= 1
    }
    mutating func directionClosed(stream: Int, direction: StreamDirection, reason: CloseReason, frame: UInt64, time: Int64) {}
    mutating func connectionClosed(_ info: ConnectionInfo, reason: CloseReason) {}
}

/// The best of `rounds` timings of `body`, in nanoseconds, and the last round's checksum.
func best(_ rounds: Int, _ body: () -> Int) -> (nanoseconds: Double, check: Int) {
    var fastest = Double.infinity
    var check = 0
    for _ in 0..<rounds {
        let start = threadCPUNanoseconds()
        check = body()
        fastest = min(fastest, threadCPUNanoseconds() - start)
    }
    return (fastest, check)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: bench-stages FILE.pcap [ROUNDS]") }
let rounds = arguments.count >= 3 ? max(1, Int(arguments[2]) ?? 5) : 5
let frames = Frames(path: arguments[1])
let count = frames.starts.count
guard count > 0 else { fail("\(arguments[1]): no packets") }
let capturedBytes = frames.lengths.reduce(0, +)

func fullDecode() -> Int {
    frames.bytes.withUnsafeBufferPointer { all in
        var sum = 0
        for index in 0..<count {
            let frame = Span(_unsafeElements: UnsafeBufferPointer(rebasing: all[frames.starts[index]..<(frames.starts[index] + frames.lengths[index])]))
            let decoded = FrameDecoder.decode(frame, linkType: frames.linkType, tcpOptionsOnSYNOnly: true)
            sum &+= decoded.payloadLength &+ (decoded.tcp == nil ? 0 : 1)
        }
        return sum
    }
}

func shortDecode() -> Int {
    frames.bytes.withUnsafeBufferPointer { all in
        var sum = 0
        for index in 0..<count {
            let frame = Span(_unsafeElements: UnsafeBufferPointer(rebasing: all[frames.starts[index]..<(frames.starts[index] + frames.lengths[index])]))
            if let fields = SegmentDecoder.decode(frame, linkType: frames.linkType) {
                sum &+= fields.payloadLength &+ 1
            } else {
                let decoded = FrameDecoder.decode(frame, linkType: frames.linkType, tcpOptionsOnSYNOnly: true)
                sum &+= decoded.payloadLength &+ (decoded.tcp == nil ? 0 : 1)
            }
        }
        return sum
    }
}

/// Each TCP segment as the packet loop hands it to the reassembler, decoded once before timing.
let segments: [(segment: TCPSegment, payload: Range<Int>)] = frames.bytes.withUnsafeBufferPointer { all in
    var list: [(segment: TCPSegment, payload: Range<Int>)] = []
    for index in 0..<count {
        let start = frames.starts[index]
        let frame = Span(_unsafeElements: UnsafeBufferPointer(rebasing: all[start..<(start + frames.lengths[index])]))
        guard let fields = SegmentDecoder.decode(frame, linkType: frames.linkType) else { continue }
        let segment = TCPSegment(source: FlowEndpoint(address: fields.source, port: fields.sourcePort),
                                 destination: FlowEndpoint(address: fields.destination, port: fields.destinationPort),
                                 vlanKey: fields.vlanKey, sequenceNumber: fields.sequenceNumber,
                                 acknowledgmentNumber: fields.acknowledgmentNumber, flags: fields.flags, window: fields.window,
                                 windowScale: fields.windowScale, payloadWireLength: fields.payloadWireLength,
                                 frame: UInt64(index + 1), time: frames.times[index])
        list.append((segment, (start + fields.payloadOffset)..<(start + fields.payloadOffset + fields.payloadLength)))
    }
    return list
}

func reassemble() -> Int {
    frames.bytes.withUnsafeBufferPointer { all in
        var reassembler = TCPReassembler<CountingHandler>()
        var handler = CountingHandler()
        for entry in segments {
            let payload = Span(_unsafeElements: UnsafeBufferPointer(rebasing: all[entry.payload]))
            _ = reassembler.process(entry.segment, payload: payload, handler: &handler)
        }
        reassembler.finish(handler: &handler)
        return handler.bytes &+ handler.connections &+ handler.gaps
    }
}

print("capture: \(arguments[1]), \(count) packets, \(capturedBytes) bytes captured, \(segments.count) taken by the short decode; best of \(rounds), thread CPU time")
print("")
print("| stage | ns/packet | M packets/s | MB/s | check |")
print("| --- | ---: | ---: | ---: | ---: |")
for (name, body, packets) in [("frame decode, FrameDecoder (full)", fullDecode as () -> Int, count),
                               ("frame decode, SegmentDecoder (the packet loop's)", shortDecode, count),
                               ("TCP reassembly, counting handler", reassemble, segments.count)] {
    let (nanoseconds, check) = best(rounds, body)
    let perPacket = nanoseconds / Double(packets)
    let megabytes = Double(capturedBytes) / 1e6 / (nanoseconds / 1e9)
    print("| \(name) | \(fixed(perPacket, 1)) | \(fixed(1e3 / perPacket, 2)) | \(fixed(megabytes, 0)) | \(check) |")
}
