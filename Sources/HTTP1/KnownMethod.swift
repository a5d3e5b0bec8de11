// Well-known request methods, used only to judge plausibility while resynchronising.

/// Registered methods a resync may trust as a message start (any token method is parsed normally).
enum KnownMethod {
    /// The length of the well-known method at `at`, if one starts there followed by SP.
    ///
    /// Called once per line while hunting, so it compares in place rather than building any collection.
    static func length(_ buffer: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> Int? {
        guard at < end else { return nil }
        func matches(_ method: StaticString) -> Int? {
            let count = method.utf8CodeUnitCount
            guard at &+ count < end, buffer[at &+ count] == ByteClass.space else { return nil }
            let text = method.utf8Start
            for offset in 0..<count where buffer[at &+ offset] != text[offset] {
                return nil
            }
            return count
        }
        switch buffer[at] {
        case 0x47: return matches("GET")
        case 0x50: return matches("POST") ?? matches("PUT") ?? matches("PATCH") ?? matches("PROPFIND") ?? matches("PROPPATCH")
            ?? matches("PURGE")
        case 0x48: return matches("HEAD")
        case 0x44: return matches("DELETE")
        case 0x43: return matches("CONNECT") ?? matches("COPY")
        case 0x4F: return matches("OPTIONS")
        case 0x54: return matches("TRACE")
        case 0x4D: return matches("MKCOL") ?? matches("MOVE")
        case 0x4C: return matches("LOCK")
        case 0x55: return matches("UNLOCK")
        default: return nil
        }
    }
}
