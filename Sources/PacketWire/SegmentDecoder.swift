// The packet loop's decoder for the common frame: only the fields reassembly needs, or nil.

/// The fields of one TCP segment that reassembly needs, as `FrameDecoder.decode` would give them.
///
/// 56 bytes with no optionals but one, against the 313 of a `DecodedFrame`: on a capture of
/// small HTTP exchanges, building, copying and destroying the whole decode was a tenth of the run.
public struct SegmentFields: Sendable, Equatable {
    /// The IP source address.
    public var source: IPAddress
    /// The IP destination address.
    public var destination: IPAddress
    /// The TCP source port.
    public var sourcePort: UInt16
    /// The TCP destination port.
    public var destinationPort: UInt16
    /// The sequence number of the first payload byte (or of the SYN/FIN).
    public var sequenceNumber: UInt32
    /// The acknowledgment number.
    public var acknowledgmentNumber: UInt32
    /// The eight flag bits.
    public var flags: TCPFlags
    /// The window field, not scaled.
    public var window: UInt16
    /// The window scale option; read on SYN segments only, like `TCPHeader.decode(_:optionsOnSYNOnly:)`.
    public var windowScale: UInt8?
    /// `LinkRepr.vlanKey`: 0 when untagged.
    public var vlanKey: UInt32
    /// Offset of the first TCP payload byte in the frame.
    public var payloadOffset: Int
    /// Captured payload bytes that belong to the segment (link padding excluded).
    public var payloadLength: Int
    /// Payload length by the IP length fields (the capture's when that field is 0).
    public var payloadWireLength: Int
}

/// Decodes the frames nearly every capture is made of, and declines the rest.
///
/// Handles Ethernet (untagged or with one 802.1Q/802.1ad tag), Linux cooked v1 and v2 (untagged)
/// and the raw IP link types, then an unfragmented IPv4 header or an IPv6 header followed
/// directly by TCP, then a whole TCP header. For any other frame (other link types, more tags,
/// MPLS, IPv6 extension headers, fragments, other protocols, anything short or malformed) it
/// returns nil, and the caller runs `FrameDecoder.decode`, which names what is wrong.
///
/// Contract, checked by `SegmentDecoderTests` over every capture and by the FuzzWire target:
/// when it returns fields, `FrameDecoder.decode(frame, linkType:, tcpOptionsOnSYNOnly: true)`
/// has no error, an unfragmented network layer and a TCP header, and the same values.
public enum SegmentDecoder {
    /// The fields of `frame`'s TCP segment, or nil when the frame is not of the common kind.
    @inline(__always)
    public static func decode(_ frame: Span<UInt8>, linkType: LinkType) -> SegmentFields? {
        let networkOffset: Int
        let etherType: UInt16
        var vlanKey: UInt32 = 0
        switch linkType {
        case .ethernet:
            guard frame.count >= EthernetHeader.Field.minimumLength else { return nil }
            let type = frame.bigEndianUInt16(at: EthernetHeader.Field.etherType)
            if VLANTags.isTag(type) {
                // One tag: TCI then the EtherType, 4 bytes after the first EtherType field.
                guard frame.count >= EthernetHeader.Field.minimumLength + 4 else { return nil }
                let id = frame.bigEndianUInt16(at: EthernetHeader.Field.etherType + 2) & 0x0FFF
                etherType = frame.bigEndianUInt16(at: EthernetHeader.Field.etherType + 4)
                vlanKey = VLANTags.key(outer: id, inner: nil)
                networkOffset = EthernetHeader.Field.minimumLength + 4
            } else {
                etherType = type
                networkOffset = EthernetHeader.Field.minimumLength
            }
        case .linuxSLL:
            guard frame.count >= LinuxSLLHeader.Field.minimumLength else { return nil }
            etherType = frame.bigEndianUInt16(at: LinuxSLLHeader.Field.protocolType)
            networkOffset = LinuxSLLHeader.Field.minimumLength
        case .linuxSLL2:
            guard frame.count >= LinuxSLL2Header.Field.minimumLength else { return nil }
            etherType = frame.bigEndianUInt16(at: LinuxSLL2Header.Field.protocolType)
            networkOffset = LinuxSLL2Header.Field.minimumLength
        case .ipv4:
            etherType = FrameDecoder.EtherType.ipv4
            networkOffset = 0
        case .ipv6:
            etherType = FrameDecoder.EtherType.ipv6
            networkOffset = 0
        case .rawIP:
            guard frame.count >= 1 else { return nil }
            let version = frame[0] >> 4
            etherType = version == 4 ? FrameDecoder.EtherType.ipv4 : version == 6 ? FrameDecoder.EtherType.ipv6 : 0
            networkOffset = 0
        case .null, .loop, .other:
            return nil
        }

        let source: IPAddress
        let destination: IPAddress
        let transportOffset: Int
        // End of the IP packet by its length field, or the capture's end when the field is 0 (TSO).
        let ipEnd: Int
        switch etherType {
        case FrameDecoder.EtherType.ipv4:
            guard frame.count >= networkOffset + IPv4Header.Field.minimumLength else { return nil }
            let first = frame[networkOffset + IPv4Header.Field.versionAndLength]
            let headerLength = Int(first & 0x0F) * 4
            guard first >> 4 == 4, headerLength >= IPv4Header.Field.minimumLength,
                  frame.count >= networkOffset + headerLength else { return nil }
            let totalLength = Int(frame.bigEndianUInt16(at: networkOffset + IPv4Header.Field.totalLength))
            guard totalLength == 0 || totalLength >= headerLength else { return nil }
            // A fragment (MF set or a non-zero offset) waits for the defragmenter on the full path.
            let flagsAndOffset = frame.bigEndianUInt16(at: networkOffset + IPv4Header.Field.flagsAndOffset)
            guard flagsAndOffset & 0x3FFF == 0,
                  frame[networkOffset + IPv4Header.Field.protocolNumber] == FrameDecoder.tcpProtocol else { return nil }
            source = IPAddress(ipv4: frame.bigEndianUInt32(at: networkOffset + IPv4Header.Field.source))
            destination = IPAddress(ipv4: frame.bigEndianUInt32(at: networkOffset + IPv4Header.Field.destination))
            transportOffset = networkOffset + headerLength
            ipEnd = totalLength != 0 ? networkOffset + totalLength : frame.count
        case FrameDecoder.EtherType.ipv6:
            guard frame.count >= networkOffset + IPv6Header.Field.minimumLength,
                  frame[networkOffset] >> 4 == 6,
                  frame[networkOffset + IPv6Header.Field.nextHeader] == FrameDecoder.tcpProtocol else { return nil }
            let payloadLength = Int(frame.bigEndianUInt16(at: networkOffset + IPv6Header.Field.payloadLength))
            let sourceOffset = networkOffset + IPv6Header.Field.source
            let destinationOffset = networkOffset + IPv6Header.Field.destination
            source = IPAddress(ipv6High: IPv6Header.bigEndianUInt64(frame, at: sourceOffset),
                               low: IPv6Header.bigEndianUInt64(frame, at: sourceOffset + 8))
            destination = IPAddress(ipv6High: IPv6Header.bigEndianUInt64(frame, at: destinationOffset),
                                    low: IPv6Header.bigEndianUInt64(frame, at: destinationOffset + 8))
            transportOffset = networkOffset + IPv6Header.Field.minimumLength
            ipEnd = payloadLength != 0 ? transportOffset + payloadLength : frame.count
        default:
            return nil
        }

        // The TCP header must fit inside both the capture and the IP length, as for TCPHeader.decode.
        let capturedEnd = min(frame.count, ipEnd)
        guard capturedEnd >= transportOffset + TCPHeader.Field.minimumLength else { return nil }
        let tcpHeaderLength = Int(frame[transportOffset + TCPHeader.Field.dataOffset] >> 4) * 4
        guard tcpHeaderLength >= TCPHeader.Field.minimumLength,
              capturedEnd >= transportOffset + tcpHeaderLength else { return nil }
        let flags = TCPFlags(rawValue: frame[transportOffset + TCPHeader.Field.flags])
        let windowScale = flags.contains(.syn)
            ? TCPHeader.parseOptions(frame.extracting(transportOffset..<(transportOffset + tcpHeaderLength)),
                                     end: tcpHeaderLength).windowScale
            : nil
        let payloadOffset = transportOffset + tcpHeaderLength
        return SegmentFields(
            source: source, destination: destination,
            sourcePort: frame.bigEndianUInt16(at: transportOffset + TCPHeader.Field.sourcePort),
            destinationPort: frame.bigEndianUInt16(at: transportOffset + TCPHeader.Field.destinationPort),
            sequenceNumber: frame.bigEndianUInt32(at: transportOffset + TCPHeader.Field.sequenceNumber),
            acknowledgmentNumber: frame.bigEndianUInt32(at: transportOffset + TCPHeader.Field.acknowledgmentNumber),
            flags: flags,
            window: frame.bigEndianUInt16(at: transportOffset + TCPHeader.Field.window),
            windowScale: windowScale,
            vlanKey: vlanKey,
            payloadOffset: payloadOffset,
            payloadLength: capturedEnd - payloadOffset,
            payloadWireLength: ipEnd - payloadOffset)
    }
}

extension SegmentDecoder {
    /// The first way `decode` differs from `FrameDecoder.decode` on `frame`, or nil when it keeps
    /// its contract; `accepted` says whether it returned fields. For the tests and FuzzWire.
    public static func differenceFromFullDecode(_ frame: Span<UInt8>, linkType: LinkType) -> (difference: String?, accepted: Bool) {
        guard let fields = decode(frame, linkType: linkType) else { return (nil, false) }
        let full = FrameDecoder.decode(frame, linkType: linkType, tcpOptionsOnSYNOnly: true)
        if let error = full.error { return ("the full decode failed: \(error)", true) }
        guard let network = full.network, !network.isFragment, let tcp = full.tcp else {
            return ("the full decode has no unfragmented TCP segment", true)
        }
        let expected = SegmentFields(
            source: network.source, destination: network.destination,
            sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort,
            sequenceNumber: tcp.sequenceNumber, acknowledgmentNumber: tcp.acknowledgmentNumber,
            flags: tcp.flags, window: tcp.window, windowScale: tcp.options.windowScale,
            vlanKey: full.link?.vlanKey ?? 0,
            payloadOffset: full.payloadOffset, payloadLength: full.payloadLength,
            payloadWireLength: full.payloadWireLength)
        return (fields == expected ? nil : "fields \(fields), the full decode \(expected)", true)
    }
}
