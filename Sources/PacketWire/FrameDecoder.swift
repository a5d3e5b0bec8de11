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
    public static func decode(_ frame: Span<UInt8>, linkType: LinkType) -> DecodedFrame {
        var result = DecodedFrame(capturedLength: frame.count)
        let link: LinkRepr
        do {
            link = try decodeLink(frame, linkType: linkType)
        } catch {
            result.error = error
            return result
        }
        result.link = link

        let networkOffset = link.headerLength
        let ipBytes = frame.extracting(droppingFirst: networkOffset)
        // End of the IP packet in the frame according to its length field, or the capture when
        // the field is 0 (TSO/LSO); `lengthKnown` says which.
        let ipEnd: Int
        let lengthKnown: Bool
        let transportOffset: Int
        let network: NetworkRepr
        do {
            switch link.etherType {
            case EtherType.ipv4:
                let header = try IPv4Header.decode(ipBytes)
                lengthKnown = header.totalLength != 0
                ipEnd = lengthKnown ? networkOffset + header.totalLength : frame.count
                transportOffset = networkOffset + header.headerLength
                network = .ipv4(header)
            case EtherType.ipv6:
                let header = try IPv6Header.decode(ipBytes)
                lengthKnown = header.payloadLength != 0
                ipEnd = lengthKnown ? networkOffset + IPv6Header.minimumLength + header.payloadLength : frame.count
                transportOffset = networkOffset + header.headerLength
                network = .ipv6(header)
            default:
                result.error = .unsupported(unsupportedLayer(linkType), value: unsupportedValue(link))
                return result
            }
        } catch {
            result.error = error
            return result
        }
        result.network = network
        result.networkOffset = networkOffset

        // Bytes past the IP length are link padding (Ethernet pads to 60 bytes), not payload.
        let capturedEnd = min(frame.count, ipEnd)
        if network.isFragment || network.upperLayerProtocol != tcpProtocol {
            result.payloadOffset = transportOffset
            result.payloadLength = max(0, capturedEnd - transportOffset)
            result.payloadWireLength = max(0, ipEnd - transportOffset)
            if !network.isFragment {
                let layer: Layer = if case .ipv4 = network { .ipv4 } else { .ipv6 }
                result.error = .unsupported(layer, value: UInt32(network.upperLayerProtocol))
            }
            return result
        }

        let tcp: TCPRepr
        do {
            // The IP decoders guarantee transportOffset <= capturedEnd.
            tcp = try TCPHeader.decode(frame.extracting(transportOffset..<max(transportOffset, capturedEnd)))
        } catch {
            if case .truncated(let layer, let needed, let available, _) = error {
                // The slice ended at the IP length when that came before the capture's end.
                let source: LengthSource = lengthKnown && ipEnd <= frame.count ? .ipTotalLength : .capture
                result.error = .truncated(layer, needed: needed, available: available, limitedBy: source)
            } else {
                result.error = error
            }
            return result
        }
        result.tcp = tcp
        result.transportOffset = transportOffset
        result.payloadOffset = transportOffset + tcp.headerLength
        result.payloadLength = capturedEnd - result.payloadOffset
        result.payloadWireLength = ipEnd - result.payloadOffset
        return result
    }

    /// Decodes the link header for `linkType`; raw IP types get a zero-length header.
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

    /// The value reported with an unsupported protocol: the address family for BSD loopback
    /// (whose `etherType` is 0 when unknown), the IP version for raw IP, else the EtherType.
    static func unsupportedValue(_ link: LinkRepr) -> UInt32 {
        if let family = link.addressFamily { return family }
        return UInt32(link.etherType)
    }
}
