// Address text: dotted quad for IPv4 and RFC 5952 for IPv6.

import Testing
import PacketWire

@Suite struct IPAddressTests {
    @Test(arguments: [
        (0x0000_0000, "0.0.0.0"),
        (0xFFFF_FFFF, "255.255.255.255"),
        (0x0AC8_0415, "10.200.4.21"),
        (0xD8A2_105C, "216.162.16.92"),
        (0x7F00_0001, "127.0.0.1"),
    ] as [(UInt32, String)])
    func ipv4Text(value: UInt32, text: String) {
        #expect(IPAddress(ipv4: value).description == text)
    }

    @Test(arguments: [
        (0x2001_0db8_0000_0000, 0x0000_0000_0000_0001, "2001:db8::1"),          // RFC 5952 4.2.1
        (0x2001_0db8_0000_0001, 0x0001_0001_0001_0001, "2001:db8:0:1:1:1:1:1"), // 4.2.2: one zero group stays
        (0x2001_0000_0000_0001, 0x0000_0000_0000_0001, "2001:0:0:1::1"),        // 4.2.3: longest run
        (0x2001_0db8_0000_0000, 0x0001_0000_0000_0001, "2001:db8::1:0:0:1"),    // 4.2.3: first of equal runs
        (0x2001_0DB8_AAAA_BBBB, 0xCCCC_DDDD_EEEE_FFFF, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"), // 4.3 lower case
        (0x0000_0000_0000_0000, 0x0000_0000_0000_0001, "::1"),
        (0x0000_0000_0000_0000, 0x0000_0000_0000_0000, "::"),
        (0xfe80_0000_0000_0000, 0x0202_b3ff_fe1e_8329, "fe80::202:b3ff:fe1e:8329"),
        (0x2001_0db8_0000_0000, 0x0000_0000_0000_0000, "2001:db8::"),
        (0x0001_0000_0000_0000, 0x0000_0000_0000_0000, "1::"),
    ] as [(UInt64, UInt64, String)])
    func ipv6Text(high: UInt64, low: UInt64, text: String) {
        #expect(IPAddress(ipv6High: high, low: low).description == text)
    }

    @Test func endpoints() {
        #expect(IPAddress(ipv4: 0x0A00_0001).endpointDescription(port: 80) == "10.0.0.1:80")
        #expect(IPAddress(ipv6High: 0, low: 1).endpointDescription(port: 443) == "[::1]:443")
        #expect(IPAddress(ipv4: 0).endpointDescription(port: 0) == "0.0.0.0:0")
        #expect(IPAddress(ipv4: 0xFFFF_FFFF).endpointDescription(port: 65535) == "255.255.255.255:65535")
        #expect(IPAddress(ipv4: 0x0A09_6400).endpointDescription(port: 9) == "10.9.100.0:9")
    }

    /// Every octet and port width comes out as the decimal the standard library prints.
    @Test func ipv4DigitsAgreeWithInterpolation() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let value = UInt32.random(in: .min ... .max, using: &generator)
            let port = UInt16.random(in: .min ... .max, using: &generator)
            let expected = "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
            #expect(IPAddress(ipv4: value).description == expected)
            #expect(IPAddress(ipv4: value).endpointDescription(port: port) == expected + ":\(port)")
        }
    }

    @Test func ipv4SortsBeforeIPv6AndValuesCompare() {
        let v4 = IPAddress(ipv4: 0xFFFF_FFFF)
        let v6 = IPAddress(ipv6High: 0, low: 0)
        #expect(v4 < v6)
        #expect(IPAddress(ipv4: 1) < IPAddress(ipv4: 2))
        #expect(IPAddress(ipv4: 1) != IPAddress(ipv6High: 0, low: 1))
    }
}

@Suite struct IPv4MappedTextTests {
    @Test func mappedAddressesUseDottedQuad() {
        // RFC 5952 section 5: ::ffff:0:0/96 is written with the IPv4 part as a dotted quad.
        #expect(IPAddress(ipv6High: 0, low: 0x0000_FFFF_C000_0201).description == "::ffff:192.0.2.1")
        // Neighbours of that prefix are not mapped and stay hexadecimal.
        #expect(IPAddress(ipv6High: 0, low: 0x0001_FFFF_C000_0201).description == "::1:ffff:c000:201")
        #expect(IPAddress(ipv6High: 1, low: 0x0000_FFFF_C000_0201).description == "::1:0:ffff:c000:201")
    }
}
