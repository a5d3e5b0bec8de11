// Terminal safety: packet bytes never reach the terminal as control sequences.

import Testing
@testable import Rendering

@Suite struct SafeTextTests {
    @Test func plainTextPassesUnchanged() {
        #expect(SafeText.escape("GET /index.html?q=ä") == "GET /index.html?q=ä")
    }

    @Test func escapeSequencesAreNeutralised() {
        #expect(SafeText.escape("\u{1B}[2J\u{07}x\r\n") == "\\x1B[2J\\x07x\\r\\n")
        #expect(SafeText.escape("a\u{7F}b") == "a\\x7Fb")
        #expect(SafeText.escape("\u{9B}31m") == "\\x9B31m")            // C1 CSI
        #expect(SafeText.escape("evil\u{202E}txt") == "evil\\u{202E}txt")  // right-to-left override
    }

    @Test func invalidUTF8BecomesReplacementNotRawBytes() {
        let text = SafeText.escape(bytes: [0x41, 0xFF, 0x1B, 0x42])
        #expect(text == "A\u{FFFD}\\x1BB")
    }

    @Test func jsonQuotingEscapesControlsAndQuotes() {
        #expect(JSONObject.quoted("a\"b\\c\n\u{1B}\u{85}") == "\"a\\\"b\\\\c\\n\\u001b\\u0085\"")
    }

    @Test func jsonObjectKeepsKeyOrder() {
        var object = JSONObject()
        object.add("type", "response")
        object.add("status", 502)
        object.add("ok", false)
        #expect(object.rendered == "{\"type\":\"response\",\"status\":502,\"ok\":false}")
    }
}
