// HTML safety: packet bytes never become markup, and control bytes show as SafeText shows them.

import Testing
import Rendering

@Suite struct HTMLTextTests {
    @Test func plainTextPassesUnchanged() {
        #expect(HTMLText.escape("GET /index.html?q=ä") == "GET /index.html?q=ä")
    }

    @Test func markupCharactersBecomeReferences() {
        #expect(HTMLText.escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        #expect(HTMLText.escape("a=1&b=\"2\"") == "a=1&amp;b=&quot;2&quot;")
    }

    @Test func controlBytesAreShownEscapedNotRaw() {
        #expect(HTMLText.escape("/\u{1B}[31m\u{0}<\u{202E}") == "/\\x1B[31m\\x00&lt;\\u{202E}")
        #expect(HTMLText.escape("\r\n") == "\\r\\n")
    }
}
