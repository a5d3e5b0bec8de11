// Summary lines built as bytes must read exactly as the String helpers they replaced.

import Rendering
import Testing

@Test(arguments: [0, 7, 42, 1_000, 99_999, 123_456_789, Int.max, -1, -305, Int.min + 1, Int.min])
func decimalsMatchTheStandardLibrary(value: Int) {
    for width in [0, 1, 4, 12, 25] {
        var line = LineBytes()
        line.appendDecimal(value, width: width)
        #expect(line.string == Padding.left(String(value), width))
    }
}

@Test func unsignedDecimalsMatchTheStandardLibrary() {
    for value: UInt64 in [0, 9, 10, 18_446_744_073_709_551_615, UInt64(Int.max) + 1] {
        var line = LineBytes()
        line.appendDecimal(value, width: 4)
        #expect(line.string == Padding.left(String(value), 4))
    }
}

@Test(arguments: ["plain/path?a=1", "esc\u{1B}[31mape", "bell\u{07}", "cr\r\nlf", "del\u{7F}", "c1\u{9B}x",
                  "bidi\u{202E}txt", "café", "", "tab\there"])
func escapedTextMatchesSafeText(text: String) {
    var line = LineBytes()
    line.appendEscaped(text)
    #expect(line.string == SafeText.escape(text))
    // Substrings (the query split) take the same path.
    let cut = text.dropFirst()
    var part = LineBytes()
    part.appendEscaped(cut)
    #expect(part.string == SafeText.escape(String(cut)))
    #expect(!line.bytes.contains { $0 < 0x20 || $0 == 0x7F })
}

@Test func appendedPiecesFollowEachOther() {
    var line = LineBytes()
    line.append("!")
    line.appendDecimal(20, width: 5)
    line.append(" → ")
    line.append("x"[...])
    #expect(line.string == "!   20 → x")
}
