// Netmon 3.x frame-details summary lines for the link, IP and TCP layers of one frame.

import PacketWire

/// What the TCP layer knew about a frame that the frame alone cannot say.
public struct TCPContext: Sendable {
    /// Netmon expert notes before `Flags=` (`[ReTransmit]`, `[Segment Lost]`, …).
    public var annotations: [String] = []
    /// The sender's window scale when the handshake was captured; nil prints the bare window.
    public var windowScale: UInt8?
    public init(annotations: [String] = [], windowScale: UInt8? = nil) {
        self.annotations = annotations
        self.windowScale = windowScale
    }
}

/// The lines Netmon shows collapsed in its Frame Details pane:
/// ```
/// Frame: Number = 1, Captured Frame Length = 424, MediaType = ETHERNET
/// Ethernet: Etype = Internet IP (IPv4),DestinationAddress:[00-11-BC-3E-62-3C],SourceAddress:[00-0F-1F-6C-1F-E1]
/// Ipv4: Src = 216.162.16.92, Dest = 10.200.4.21, Next Protocol = TCP, Packet ID = 61248, Total IP Length = 410
/// Tcp: Flags=...AP..., SrcPort=HTTP(80), DstPort=21937, PayloadLen=370, Seq=1437707974 - 1437708344, Ack=2303911894, Win=2351
/// ```
public enum FrameDetails {
    public static func lines(frame number: UInt64, decoded: DecodedFrame, linkType: LinkType, tcpContext: TCPContext = TCPContext()) -> [String] {
        var lines = ["Frame: Number = \(number), Captured Frame Length = \(decoded.capturedLength), MediaType = \(linkType.netmonMediaType)"]
        if let link = decoded.link { lines.append(contentsOf: linkLines(link)) }
        if let network = decoded.network { lines.append(networkLine(network)) }
        if let tcp = decoded.tcp { lines.append("Tcp: " + tcpDescription(tcp, payloadLength: decoded.payloadWireLength, context: tcpContext)) }
        if let error = decoded.error { lines.append(errorLine(error)) }
        return lines
    }

    static func linkLines(_ link: LinkRepr) -> [String] {
        var lines: [String] = []
        let etype = etherTypeName(link.etherType)
        switch link.linkType {
        case .ethernet:
            let destination = link.destination.map { "[\($0)]" } ?? "[]"
            let source = link.source.map { "[\($0)]" } ?? "[]"
            lines.append("Ethernet: Etype = \(etype),DestinationAddress:\(destination),SourceAddress:\(source)")
        case .linuxSLL, .linuxSLL2:
            var line = "LinuxCooked: Protocol = \(etype)"
            if let type = link.sllPacketType { line += ", PacketType = \(sllPacketTypeName(type))" }
            if let source = link.source { line += ", SourceAddress:[\(source)]" }
            lines.append(line)
        case .null, .loop:
            lines.append("Loopback: Protocol = \(etype)")
        case .rawIP, .ipv4, .ipv6:
            break
        case .other(let value):
            lines.append("Link: Type = \(value)")
        }
        if let outer = link.outerVLAN {
            var line = "Vlan: VlanIdentifier = \(outer)"
            if let inner = link.innerVLAN { line += ", InnerVlanIdentifier = \(inner)" }
            lines.append(line)
        }
        return lines
    }

    static func networkLine(_ network: NetworkRepr) -> String {
        switch network {
        case .ipv4(let ip):
            var line = "Ipv4: Src = \(ip.source), Dest = \(ip.destination), Next Protocol = \(protocolName(ip.protocolNumber)), Packet ID = \(ip.identification), Total IP Length = \(ip.totalLength)"
            if ip.moreFragments || ip.fragmentOffset != 0 { line += ", Fragment Offset = \(ip.fragmentOffset)" + (ip.moreFragments ? ", More Fragments" : "") }
            return line
        case .ipv6(let ip):
            var line = "Ipv6: Src = \(ip.source), Dest = \(ip.destination), Next Protocol = \(protocolName(ip.upperLayerProtocol)), Payload Length = \(ip.payloadLength)"
            if let fragment = ip.fragment { line += ", Fragment Offset = \(fragment.offset)" + (fragment.moreFragments ? ", More Fragments" : "") }
            return line
        }
    }

    /// Netmon's TCP description (after `Tcp: ` in the tree, after `TCP:` in the summary column).
    public static func tcpDescription(_ tcp: TCPRepr, payloadLength: Int, context: TCPContext) -> String {
        var text = context.annotations.joined()
        text += "Flags=\(tcp.flags.netmonDescription), SrcPort=\(portName(tcp.sourcePort)), DstPort=\(portName(tcp.destinationPort)), PayloadLen=\(payloadLength), "
        if payloadLength > 0 {
            text += "Seq=\(tcp.sequenceNumber) - \(tcp.sequenceNumber &+ UInt32(truncatingIfNeeded: payloadLength))"
        } else {
            text += "Seq=\(tcp.sequenceNumber)"
        }
        text += ", Ack=\(tcp.acknowledgmentNumber), Win=\(tcp.window)"
        if tcp.flags.contains(.syn) {
            if let scale = tcp.options.windowScale {
                let hex = String(scale, radix: 16, uppercase: true)
                if tcp.flags.contains(.ack) {
                    text += " ( Negotiated scale factor 0x\(hex) ) = \(UInt64(tcp.window) << UInt64(min(scale, 14)))"
                } else {
                    text += " ( Negotiating scale factor 0x\(hex) ) = \(tcp.window)"
                }
            }
        } else if let scale = context.windowScale {
            let hex = String(scale, radix: 16, uppercase: true)
            text += " (scale factor 0x\(hex)) = \(UInt64(tcp.window) << UInt64(min(scale, 14)))"
        }
        return text
    }

    static func errorLine(_ error: WireError) -> String {
        switch error {
        case .truncated(let layer, let needed, let available, let source):
            let cause = source == .capture ? "captured" : "in the IP length"
            return "[truncated \(layer.rawValue): needs \(needed) bytes, \(available) \(cause)]"
        case .malformed(let layer, let field):
            return "[malformed \(layer.rawValue): \(field)]"
        case .unsupported(let layer, let value):
            return "[\(layer.rawValue): type 0x\(String(value, radix: 16, uppercase: true)) not decoded]"
        }
    }

    /// Netmon's port names for the well-known ports it labels; others print bare.
    public static func portName(_ port: UInt16) -> String {
        switch port {
        case 80: return "HTTP(80)"
        case 8080: return "HTTP Alternate(8080)"
        case 443: return "HTTPS(443)"
        case 25: return "SMTP(25)"
        case 88: return "Kerberos(88)"
        case 139: return "NETBIOS Session Service(139)"
        case 389: return "LDAP(389)"
        case 445: return "Microsoft-DS(445)"
        default: return String(port)
        }
    }

    static func etherTypeName(_ type: UInt16) -> String {
        switch type {
        case 0x0800: return "Internet IP (IPv4)"
        case 0x86DD: return "IPv6"
        case 0x0806: return "ARP"
        default: return "0x" + String(type, radix: 16, uppercase: true)
        }
    }

    static func protocolName(_ number: UInt8) -> String {
        switch number {
        case 6: return "TCP"
        case 17: return "UDP"
        case 1: return "ICMP"
        case 58: return "ICMPv6"
        default: return String(number)
        }
    }

    static func sllPacketTypeName(_ type: UInt16) -> String {
        switch type {
        case 0: return "Unicast to us"
        case 1: return "Broadcast"
        case 2: return "Multicast"
        case 3: return "Unicast to another host"
        case 4: return "Sent by us"
        default: return String(type)
        }
    }
}
