// Listing the capture devices (`-D`), as tcpdump does.

internal import CPcap

/// A device libpcap can capture on.
public struct CaptureDevice: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var isLoopback: Bool
    public var isUp: Bool
    public var isRunning: Bool

    /// Every device `pcap_findalldevs` reports, in its order.
    public static func all() throws(PcapError) -> [CaptureDevice] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        var list: UnsafeMutablePointer<pcap_if_t>? = nil
        let status = unsafe errorBuffer.withUnsafeMutableBufferPointer { unsafe pcap_findalldevs(&list, $0.baseAddress) }
        guard status == 0 else { throw PcapError(.open, status: status, message: text(ofErrorBuffer: errorBuffer)) }
        defer { unsafe pcap_freealldevs(list) }
        var devices: [CaptureDevice] = []
        var cursor = unsafe list
        while let entry = unsafe cursor {
            let item = unsafe entry.pointee
            devices.append(CaptureDevice(
                name: unsafe String(cString: item.name),
                description: unsafe item.description.map { unsafe String(cString: $0) },
                isLoopback: item.flags & UInt32(PCAP_IF_LOOPBACK) != 0,
                isUp: item.flags & UInt32(PCAP_IF_UP) != 0,
                isRunning: item.flags & UInt32(PCAP_IF_RUNNING) != 0))
            cursor = unsafe item.next
        }
        return devices
    }

    /// tcpdump's `-D` line: `1.lo [Up, Running, Loopback]`.
    public func listing(number: Int) -> String {
        var flags: [String] = []
        if isUp { flags.append("Up") }
        if isRunning { flags.append("Running") }
        if isLoopback { flags.append("Loopback") }
        var line = "\(number).\(name)"
        if let description { line += " (\(description))" }
        if !flags.isEmpty { line += " [\(flags.joined(separator: ", "))]" }
        return line
    }
}
