// DLT numbers, tcpdump names and Netmon media types of the link types.

import Testing
import PacketWire

@Suite struct LinkTypeTests {
    @Test(arguments: [
        (1, LinkType.ethernet, "EN10MB"), (0, .null, "NULL"), (108, .loop, "LOOP"), (12, .rawIP, "RAW"),
        (228, .ipv4, "IPV4"), (229, .ipv6, "IPV6"), (113, .linuxSLL, "LINUX_SLL"),
        (276, .linuxSLL2, "LINUX_SLL2"), (147, .other(147), "DLT_147"),
    ] as [(Int32, LinkType, String)])
    func roundTrip(dlt: Int32, linkType: LinkType, name: String) {
        #expect(LinkType(dlt: dlt) == linkType)
        #expect(linkType.dlt == dlt)
        #expect(linkType.name == name)
    }

    @Test func rawAliases() {
        #expect(LinkType(dlt: 14) == .rawIP)     // DLT_RAW on OpenBSD
        #expect(LinkType(dlt: 101) == .rawIP)    // LINKTYPE_RAW in pcap files
    }

    @Test func netmonMediaTypes() {
        #expect(LinkType.ethernet.netmonMediaType == "ETHERNET")
        let all: [LinkType] = [.ethernet, .null, .loop, .rawIP, .ipv4, .ipv6, .linuxSLL, .linuxSLL2, .other(9)]
        for type in all {
            let media = type.netmonMediaType
            #expect(!media.isEmpty && media == media.uppercased(), "\(type)")
        }
        #expect(Set(all.map(\.netmonMediaType)).count == all.count)
    }
}
