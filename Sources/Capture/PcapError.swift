// Errors from libpcap, carrying libpcap's own message so the user sees what it said.

/// A libpcap failure: the status code (when there was one) and libpcap's message.
public struct PcapError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case open            // opening a file or a device
        case permission      // PCAP_ERROR_PERM_DENIED: not root, no CAP_NET_RAW
        case noSuchDevice    // PCAP_ERROR_NO_SUCH_DEVICE
        case filter          // pcap_compile / pcap_setfilter
        case read            // a read failed part-way (a truncated or corrupt savefile)
        case dump            // writing the -w savefile
        case privileges      // dropping root
    }
    public var kind: Kind
    public var status: Int32?
    public var message: String

    public init(_ kind: Kind, status: Int32? = nil, message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

/// The text of a NUL-terminated C error buffer.
func text(ofErrorBuffer buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
