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

    /// The digits written straight into storage agree with the padded text built field by field,
    /// over the whole nanosecond range (1677 to 2262), both precisions and both separators.
    @Test func directDigitsAgreeWithPaddedFields() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let time = Int64.random(in: .min ... .max, using: &generator)
            let (seconds, fraction) = TimeFormat.split(time)
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let secondOfDay = seconds - days * 86_400
            let (year, month, day) = TimeFormat.civilDate(daysSinceEpoch: days)
            for (nanoseconds, separator) in [(false, " "), (true, "T")] {
                let expected = TimeFormat.pad(year, 4) + "-" + TimeFormat.pad(month, 2) + "-" + TimeFormat.pad(day, 2)
                    + separator + TimeFormat.pad(secondOfDay / 3600, 2) + ":" + TimeFormat.pad(secondOfDay / 60 % 60, 2)
                    + ":" + TimeFormat.pad(secondOfDay % 60, 2) + "." + TimeFormat.fractionText(fraction, nanoseconds: nanoseconds)
                #expect(TimeFormat.absolute(time, nanoseconds: nanoseconds, separator: separator) == expected)
            }
        }
    }

    /// The time written into a line's bytes is the text `absolute` gives, after whatever the line held.
    @Test func timeAppendedToBytesIsTheAbsoluteText() {
        var generator = SystemRandomNumberGenerator()
        for index in 0..<5_000 {
            let time = index == 0 ? Int64.min : index == 1 ? Int64.max : Int64.random(in: .min ... .max, using: &generator)
            for nanoseconds in [false, true] {
                var bytes = Array("  42  ".utf8)
                TimeFormat.appendAbsolute(time, nanoseconds: nanoseconds, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == "  42  " + TimeFormat.absolute(time, nanoseconds: nanoseconds))
            }
        }
    }

    /// Timestamps a hostile file can hold still print (the general path), without trapping.
    @Test func extremeTimesPrint() {
        #expect(TimeFormat.absolute(Int64.max).hasPrefix("2262-04-11 23:47:16."))
        #expect(TimeFormat.absolute(Int64.min).hasPrefix("1677-09-21 00:12:43."))
        #expect(TimeFormat.absolute(0, separator: " | ") == "1970-01-01 | 00:00:00.000000")
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
