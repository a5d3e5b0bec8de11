// Chains the link, IP and TCP decoders over one captured frame without allocating.

/// Decodes whole frames: link header, IPv4 or IPv6, then TCP.
public enum FrameDecoder {
    /// EtherTypes the network layer understands.
    enum EtherType {
        static let ipv4: UInt16 = 0x0800
        static let ipv6: UInt16 = 0x86DD
    }

    static let tcpProtocol: UInt8 = 6

    /// Decodes `frame`, captured on a link of type `linkType`.
    ///
    /// Never throws and never traps: failures are reported in `error`, with every earlier layer
    /// filled in. See `DecodedFrame` for what each field holds.
    /// With `tcpOptionsOnSYNOnly`, TCP options are parsed on SYN segments only (see `TCPHeader.decode`).
    @inline(__always)
    public static func decode(_ frame: Span<UInt8>, linkType: LinkType, tcpOptionsOnSYNOnly: Bool = false) -> DecodedFrame {
        // One return of one local: the early exits live in `decodeLayers`, which fills the value
        // in place, so the 313-byte result is not copied field by field at each exit.
        var result = DecodedFrame(capturedLength: frame.count)
        decodeLayers(frame, linkType: linkType, tcpOptionsOnSYNOnly: tcpOptionsOnSYNOnly, into: &result)
        return result
    }

    /// Fills `result` layer by layer, stopping at the first failure.
    ///
    /// Each layer's value is written straight into `result` and only the few scalars the next
    /// layer needs are read back, because copying the larger values dominated the cost.
    static func decodeLayers(_ frame: Span<UInt8>, linkType: LinkType, tcpOptionsOnSYNOnly: Bool, into result: inout DecodedFrame) {
        do {
            result.link = try decodeLink(frame, linkType: linkType)
        } catch {
            result.error = error
            return
        }
        let networkOffset = result.link?.headerLength ?? 0
        let etherType = result.link?.etherType ?? 0
        let ipBytes = frame.extracting(droppingFirst: networkOffset)
        // End of the IP packet in the frame according to its length field, or the capture when
        // the field is 0 (TSO/LSO); `lengthKnown` says which.
        let ipEnd: Int
        let lengthKnown: Bool
        let transportOffset: Int
        let isFragment: Bool
        let upperLayerProtocol: UInt8
        let networkLayer: Layer
        do {
            switch etherType {
            case EtherType.ipv4:
                let header = try IPv4Header.decode(ipBytes)
                lengthKnown = header.totalLength != 0
                ipEnd = lengthKnown ? networkOffset + header.totalLength : frame.count
                transportOffset = networkOffset + header.headerLength
                isFragment = header.isFragment
                upperLayerProtocol = header.protocolNumber
                networkLayer = .ipv4
                result.network = .ipv4(header)
            case EtherType.ipv6:
                let header = try IPv6Header.decode(ipBytes)
                lengthKnown = header.payloadLength != 0
                ipEnd = lengthKnown ? networkOffset + IPv6Header.minimumLength + header.payloadLength : frame.count
                transportOffset = networkOffset + header.headerLength
                isFragment = header.isFragment
                upperLayerProtocol = header.upperLayerProtocol
                networkLayer = .ipv6
                result.network = .ipv6(header)
            default:
                result.error = .unsupported(unsupportedLayer(linkType),
                                            value: result.link?.addressFamily ?? UInt32(etherType))
                return
            }
        } catch {
            result.error = error
            return
        }
        result.networkOffset = networkOffset

        // Bytes past the IP length are link padding (Ethernet pads to 60 bytes), not payload.
        let capturedEnd = min(frame.count, ipEnd)
        if isFragment || upperLayerProtocol != tcpProtocol {
            result.payloadOffset = transportOffset
            result.payloadLength = max(0, capturedEnd - transportOffset)
            result.payloadWireLength = max(0, ipEnd - transportOffset)
            if !isFragment {
                result.error = .unsupported(networkLayer, value: UInt32(upperLayerProtocol))
            }
            return
        }

        do {
            // The IP decoders guarantee transportOffset <= capturedEnd.
            result.tcp = try TCPHeader.decode(frame.extracting(transportOffset..<max(transportOffset, capturedEnd)),
                                              optionsOnSYNOnly: tcpOptionsOnSYNOnly)
        } catch {
            if case .truncated(let layer, let needed, let available, _) = error {
                // The slice ended at the IP length when that came before the capture's end.
                let source: LengthSource = lengthKnown && ipEnd <= frame.count ? .ipTotalLength : .capture
                result.error = .truncated(layer, needed: needed, available: available, limitedBy: source)
            } else {
                result.error = error
            }
            return
        }
        let payloadOffset = transportOffset + (result.tcp?.headerLength ?? 0)
        result.transportOffset = transportOffset
        result.payloadOffset = payloadOffset
        result.payloadLength = capturedEnd - payloadOffset
        result.payloadWireLength = ipEnd - payloadOffset
    }

    /// Decodes the link header for `linkType`; raw IP types get a zero-length header.
    @inline(__always)
    static func decodeLink(_ frame: Span<UInt8>, linkType: LinkType) throws(WireError) -> LinkRepr {
        switch linkType {
        case .ethernet:
            return try EthernetHeader.decode(frame)
        case .linuxSLL:
            return try LinuxSLLHeader.decode(frame)
        case .linuxSLL2:
            return try LinuxSLL2Header.decode(frame)
        case .null, .loop:
            return try NullLoopHeader.decode(frame, linkType: linkType)
        case .ipv4:
            return LinkRepr(linkType: linkType, headerLength: 0, etherType: EtherType.ipv4)
        case .ipv6:
            return LinkRepr(linkType: linkType, headerLength: 0, etherType: EtherType.ipv6)
        case .rawIP:
            try frame.require(1, for: .link)
            // RFC 791 / RFC 8200: the version is the first nibble of both headers.
            let version = frame[0] >> 4
            let etherType: UInt16 = version == 4 ? EtherType.ipv4 : version == 6 ? EtherType.ipv6 : UInt16(version)
            return LinkRepr(linkType: linkType, headerLength: 0, etherType: etherType)
        case .other(let value):
            throw .unsupported(.link, value: UInt32(bitPattern: value))
        }
    }

    /// The layer blamed for a protocol the link header names but we cannot decode.
    static func unsupportedLayer(_ linkType: LinkType) -> Layer {
        switch linkType {
        case .ethernet: .ethernet
        case .linuxSLL: .sll
        case .linuxSLL2: .sll2
        case .null, .loop: .null
        case .rawIP, .ipv4, .ipv6, .other: .link
        }
    }
}
