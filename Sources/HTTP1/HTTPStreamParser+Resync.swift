// Finding a message start again after a gap, an error, or a capture that began mid-stream.

extension HTTPStreamParser {
    /// Looks for a plausible message start at the segment start (`index == 0`), after an LF that ended the
    /// previous data, and after each LF in `bytes[index...]`, as Wireshark does. Returns its index, or nil.
    mutating func hunt(_ bytes: Span<UInt8>, from index: Int) -> Int? {
        let count = bytes.count
        guard index < count else { return nil }
        let kind = role
        if index == 0 || afterLF, Self.plausibleStart(bytes, at: index, kind: kind) {
            afterLF = false
            return index
        }
        let found: Int? = bytes.withUnsafeBufferPointer { buffer in
            var position = index
            while let lf = ByteClass.find(ByteClass.lf, in: buffer, from: position, to: count) {
                let next = lf &+ 1
                if next < count && HeadParser.plausibleStart(buffer, at: next, end: count, kind: kind) { return next }
                position = next
            }
            return nil
        }
        afterLF = found == nil && bytes[count &- 1] == ByteClass.lf
        return found
    }

    /// Whether `bytes[at...]` plausibly starts a message of `kind` (nil: either).
    static func plausibleStart(_ bytes: Span<UInt8>, at: Int, kind: HTTPMessageKind?) -> Bool {
        bytes.withUnsafeBufferPointer { HeadParser.plausibleStart($0, at: at, end: $0.count, kind: kind) }
    }

    /// Printable ASCII or line whitespace: the start of a text body or a text protocol rather than binary data.
    static func isText(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte < 0x7F) || byte == ByteClass.tab || byte == ByteClass.cr || byte == ByteClass.lf
    }
}
