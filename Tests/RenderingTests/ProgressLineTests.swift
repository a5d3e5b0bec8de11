// The progress line's layout: what it says, and that it always fits the terminal.

import Testing
@testable import Rendering

@Suite struct ProgressLineTests {
    @Test func saysHowFarHowFastAndHowLong() {
        // 50 MB of 200 MB in 2 s: 25 MB/s, 6 s left.
        let line = ProgressLine.render(read: 50_000_000, total: 200_000_000, elapsed: 2_000_000_000,
                                       messages: 12_345, badGateways: 678, width: 120)
        #expect(line == "[#######-----------------------]  25%  50.0/200.0 MB  25.0 MB/s  12,345 messages  678 × 502  0:06 left")
    }

    @Test func noEstimateFromTheFirstMoments() {
        let line = ProgressLine.render(read: 65_536, total: 200_000_000, elapsed: 1_000_000, messages: 0, badGateways: 0, width: 120)
        #expect(!line.contains("left"))
        #expect(!line.contains("MB/s"))
        #expect(line.contains("  0%  0.1/200.0 MB"))
    }

    @Test(arguments: [20, 40, 60, 80, 200])
    func neverWiderThanTheTerminal(_ width: Int) {
        let line = ProgressLine.render(read: 123_456_789, total: 1_100_000_000, elapsed: 3_000_000_000,
                                       messages: 9_999_999, badGateways: 123_456, width: width)
        #expect(line.count < width)
        #expect(line.contains("%"))
    }

    @Test func anEightyColumnTerminalKeepsTheTimeLeftAndThe502s() {
        let line = ProgressLine.render(read: 14_500_000, total: 122_600_000, elapsed: 1_000_000_000,
                                       messages: 7_771, badGateways: 425, width: 80)
        #expect(line.count < 80)
        #expect(line.contains("× 502"))
        #expect(line.hasSuffix(" left"))
    }

    @Test func hoursMinutesSeconds() {
        #expect(ProgressLine.clock(7) == "0:07")
        #expect(ProgressLine.clock(201) == "3:21")
        #expect(ProgressLine.clock(3723) == "1:02:03")
    }
}
