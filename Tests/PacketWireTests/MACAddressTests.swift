// MAC address value and Netmon text.

import Testing
import PacketWire

@Suite struct MACAddressTests {
    @Test func netmonText() {
        #expect(MACAddress(value: 0x0011_BC3E_623C).description == "00-11-BC-3E-62-3C")
        #expect(MACAddress(value: 0).description == "00-00-00-00-00-00")
        #expect(MACAddress(value: 0xFFFF_FFFF_FFFF).description == "FF-FF-FF-FF-FF-FF")
        #expect(MACAddress(value: 0x0A0B_0C0D_0E0F).description == "0A-0B-0C-0D-0E-0F")
    }

    @Test func onlyFortyEightBitsAreKept() {
        let address = MACAddress(value: 0xABCD_0011_BC3E_623C)
        #expect(address.value == 0x0011_BC3E_623C)
        #expect(address == MACAddress(value: 0x0011_BC3E_623C))
    }
}
