// UTC time text, independent of the machine's zone.

import Testing
@testable import Rendering

@Suite struct TimeFormatTests {
    @Test func seedDateInUTC() {
        #expect(TimeFormat.absolute(1_124_828_747 * 1_000_000_000) == "2005-08-23 20:25:47.000000")
        #expect(TimeFormat.iso8601(1_124_828_747 * 1_000_000_000 + 123_456_789, nanoseconds: true) == "2005-08-23T20:25:47.123456789Z")
    }

    @Test func leapYearsAndEpochEdges() {
        #expect(TimeFormat.absolute(0) == "1970-01-01 00:00:00.000000")
        #expect(TimeFormat.absolute(951_782_400 * 1_000_000_000) == "2000-02-29 00:00:00.000000")
        #expect(TimeFormat.absolute(-1_000) == "1969-12-31 23:59:59.999999")
    }

    @Test func relativeSecondsAndDurations() {
        #expect(TimeFormat.seconds(1_500_000) == "0.001500")
        #expect(TimeFormat.seconds(-2_000_000_000) == "-2.000000")
        #expect(TimeFormat.duration(401 * 1_000_000_000) == "6m41s")
        #expect(TimeFormat.duration(250_000) == "0.250 ms")
        #expect(TimeFormat.duration(42_500_000) == "42.5 ms")
    }
}

@Suite struct StatusTextTests {
    @Test func netmonSentenceCase() {
        #expect(HTTPStatusText.netmonName(502) == "Bad gateway")
        #expect(HTTPStatusText.netmonName(200) == "Ok")
        #expect(HTTPStatusText.netmonName(500) == "Internal server error")
        #expect(HTTPStatusText.netmonName(599) == "Server error 599")
    }
}
