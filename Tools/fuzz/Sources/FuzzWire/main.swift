// FuzzWire: FrameDecoder over every link type, SegmentDecoder against it, and IPDefragmenter fed fragments carved from the input.
//
// Input layout:
//   byte 0         link type for the whole-input decode (index into `linkTypes`), and bit 7: small
//                  defragmenter limits (so eviction and the byte budget are reached quickly)
//   bytes 1...     the frame decoded with that link type; the same bytes are then read as a
//                  sequence of fragment records for the defragmenter:
//   record         8 control bytes, then `length` payload bytes
//     c0  bit0 IPv6, bit1 more-fragments, bits2-3 identification, bit4 source address,
//         bit5 decode the payload as a raw IP frame instead (the pipeline's path), bit6 protocol 17
//     c1 c2  fragment offset in 8-byte units (13 bits)
//     c3  payload length
//     c4  IPv4: header length selector; IPv6: extension-header allowance selector
//     c5  total-length fudge (0 means exact; otherwise the length field disagrees with the capture)
//     c6 c7  time step in milliseconds (bit 15: a step of minutes, to reach the timeout)

import PacketWire

let linkTypes: [LinkType] = [.ethernet, .null, .loop, .rawIP, .ipv4, .ipv6, .linuxSLL, .linuxSLL2, .other(147)]

/// Stops the run with a message libFuzzer reports as a crash.
func violated(_ message: String) -> Never {
    fatalError("invariant violated: \(message)")
}

/// The offsets a decoded frame promises must lie inside the frame, so callers can slice safely.
func checkDecoded(_ decoded: DecodedFrame, count: Int) {
    if decoded.capturedLength != count { violated("capturedLength \(decoded.capturedLength) != \(count)") }
    guard decoded.network != nil else { return }
    if decoded.networkOffset < 0 || decoded.networkOffset > count { violated("networkOffset \(decoded.networkOffset) of \(count)") }
    if decoded.payloadLength < 0 { violated("negative payloadLength \(decoded.payloadLength)") }
    if decoded.payloadWireLength < decoded.payloadLength {
        violated("payloadWireLength \(decoded.payloadWireLength) < payloadLength \(decoded.payloadLength)")
    }
    if decoded.payloadLength > 0, decoded.payloadOffset < 0 || decoded.payloadOffset + decoded.payloadLength > count {
        violated("payload \(decoded.payloadOffset)+\(decoded.payloadLength) outside \(count)")
    }
    if let tcp = decoded.tcp {
        if decoded.error != nil { violated("tcp decoded but error \(String(describing: decoded.error))") }
        if decoded.transportOffset < decoded.networkOffset { violated("transport before network") }
        if decoded.payloadOffset != decoded.transportOffset + tcp.headerLength { violated("payloadOffset != transport + TCP header") }
        if decoded.payloadOffset > count { violated("payloadOffset \(decoded.payloadOffset) > \(count)") }
        if tcp.headerLength < 20 || tcp.headerLength > 60 { violated("TCP header length \(tcp.headerLength)") }
    }
}

/// Reads one byte, or 0 past the end.
@inline(__always)
func byte(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8 {
    index < bytes.count ? bytes[index] : 0
}

func checkDefragmenter(_ defragmenter: IPDefragmenter, result: ReassembledDatagram?) {
    if defragmenter.bufferedBytes < 0 || defragmenter.bufferedBytes > defragmenter.maximumBytes {
        violated("defragmenter buffers \(defragmenter.bufferedBytes) of \(defragmenter.maximumBytes)")
    }
    if defragmenter.datagramsInProgress > defragmenter.maximumDatagrams {
        violated("defragmenter holds \(defragmenter.datagramsInProgress) of \(defragmenter.maximumDatagrams) datagrams")
    }
    if let result {
        if result.payload.count > 65535 { violated("reassembled \(result.payload.count) bytes") }
        if result.fragmentCount < 1 || result.fragmentCount > defragmenter.maximumFragmentsPerDatagram {
            violated("fragment count \(result.fragmentCount)")
        }
    }
    if defragmenter.datagramsInProgress == 0, defragmenter.bufferedBytes != 0 {
        violated("no datagram in progress but \(defragmenter.bufferedBytes) bytes buffered")
    }
}

func fuzzDefragmenter(_ input: UnsafeBufferPointer<UInt8>, small: Bool) {
    var defragmenter = small
        ? IPDefragmenter(maximumDatagrams: 3, maximumBytes: 2048, timeout: 2_000_000_000, maximumFragmentsPerDatagram: 8)
        : IPDefragmenter()
    var time: Int64 = 1_700_000_000_000_000_000
    var position = 0
    var records = 0
    while position + 8 <= input.count, records < 512 {
        records += 1
        let c0 = input[position]
        let offsetUnits = (Int(input[position + 1]) << 8 | Int(input[position + 2])) & 0x1FFF
        let length = min(Int(input[position + 3]), input.count - position - 8)
        let selector = input[position + 4]
        let fudge = Int(Int8(bitPattern: input[position + 5]))
        let step = Int64(input[position + 6]) << 8 | Int64(input[position + 7])
        time &+= step & 0x8000 != 0 ? (step & 0x7FFF) * 60_000_000_000 : step * 1_000_000
        position += 8
        let payload = UnsafeBufferPointer(rebasing: input[position..<(position + length)])
        position += length
        let span = Span(_unsafeElements: payload)

        if c0 & 0x20 != 0 {
            // The pipeline's path: decode the bytes as a raw IP packet and hand over a fragment.
            let decoded = FrameDecoder.decode(span, linkType: .rawIP)
            checkDecoded(decoded, count: span.count)
            guard let network = decoded.network, network.isFragment else { continue }
            let end = min(decoded.payloadOffset + decoded.payloadLength, span.count)
            let start = min(decoded.payloadOffset, end)
            let result = defragmenter.addFragment(span.extracting(start..<end), network: network, time: time)
            checkDefragmenter(defragmenter, result: result)
            continue
        }

        let more = c0 & 0x02 != 0
        let identification = UInt32((c0 >> 2) & 0x03)
        let source = IPAddress(ipv4: 0x0A00_0001 + UInt32((c0 >> 4) & 1))
        let destination = IPAddress(ipv4: 0x0A00_0002)
        let protocolNumber: UInt8 = c0 & 0x40 != 0 ? 17 : 6
        let network: NetworkRepr
        if c0 & 0x01 == 0 {
            let headerLength = 20 + 4 * Int(selector & 0x0F) % 44
            let totalLength = max(0, headerLength + length + (fudge == 0 ? 0 : fudge))
            network = .ipv4(IPv4Repr(headerLength: headerLength, totalLength: selector & 0x80 != 0 ? 0 : totalLength,
                                     identification: UInt16(identification), moreFragments: more,
                                     fragmentOffset: offsetUnits * 8, protocolNumber: protocolNumber,
                                     source: source, destination: destination))
        } else {
            let headerLength = 48 + 8 * Int(selector & 0x07)
            let payloadLength = max(0, headerLength - 40 + length + (fudge == 0 ? 0 : fudge))
            let six = IPAddress(ipv6High: 0x2001_0DB8_0000_0000, low: UInt64((c0 >> 4) & 1))
            network = .ipv6(IPv6Repr(payloadLength: selector & 0x80 != 0 ? 0 : payloadLength, nextHeader: 44,
                                     upperLayerProtocol: selector & 0x40 != 0 ? 60 : protocolNumber,
                                     source: six, destination: IPAddress(ipv6High: 0x2001_0DB8_0000_0000, low: 9),
                                     headerLength: headerLength,
                                     fragment: IPv6Fragment(offset: offsetUnits * 8, moreFragments: more,
                                                            identification: identification)))
        }
        let result = defragmenter.addFragment(span, network: network, time: time)
        checkDefragmenter(defragmenter, result: result)
    }
    defragmenter.expire(before: time &+ 3_600_000_000_000)
    if defragmenter.datagramsInProgress != 0 || defragmenter.bufferedBytes != 0 {
        violated("after expiry: \(defragmenter.datagramsInProgress) datagrams, \(defragmenter.bufferedBytes) bytes")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let selector = input[0]
    let frame = UnsafeBufferPointer(rebasing: input[1...])
    let span = Span(_unsafeElements: frame)
    let linkType = linkTypes[Int(selector & 0x7F) % linkTypes.count]
    let decoded = FrameDecoder.decode(span, linkType: linkType)
    checkDecoded(decoded, count: span.count)
    // The packet loop's short decode must give what the full one gives, whenever it takes a frame.
    if let difference = SegmentDecoder.differenceFromFullDecode(span, linkType: linkType).difference {
        violated("SegmentDecoder: \(difference)")
    }
    fuzzDefragmenter(frame, small: selector & 0x80 != 0)
    return 0
}
