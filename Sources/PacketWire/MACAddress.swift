// A 48-bit IEEE 802 MAC address as one integer, printed the way Netmon does.

/// A MAC address held in the low 48 bits of a `UInt64`, so it costs no allocation to decode or hash.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address, most significant byte first (`0x0011BC3E623C` is 00-11-BC-3E-62-3C).
    public let value: UInt64

    /// An address from its 48-bit value; bits above 48 are discarded.
    public init(value: UInt64) {
        self.value = value & 0xFFFF_FFFF_FFFF
    }

    /// Netmon style: six upper-case hex pairs separated by hyphens (`00-11-BC-3E-62-3C`).
    public var description: String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7",
                                   "8", "9", "A", "B", "C", "D", "E", "F"]
        var text = ""
        text.reserveCapacity(17)
        for index in 0..<6 {
            let byte = Int((value >> UInt64(40 - 8 * index)) & 0xFF)
            if index > 0 { text.append("-") }
            text.append(digits[byte >> 4])
            text.append(digits[byte & 0xF])
        }
        return text
    }
}
