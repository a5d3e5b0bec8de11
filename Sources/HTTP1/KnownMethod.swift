// Well-known request methods, used only to judge plausibility while resynchronising.

/// Registered methods a resync may trust as a message start (any token method is parsed normally).
enum KnownMethod {
    /// The length of the well-known method (without the following SP) at `at`, if one starts there followed by SP.
    static func length(_ buffer: UnsafeBufferPointer<UInt8>, at: Int, end: Int) -> Int? {
        guard at < end else { return nil }
        let candidates: [StaticString]
        switch buffer[at] {
        case 0x47: candidates = ["GET"]
        case 0x50: candidates = ["POST", "PUT", "PATCH", "PROPFIND", "PROPPATCH", "PURGE"]
        case 0x48: candidates = ["HEAD"]
        case 0x44: candidates = ["DELETE"]
        case 0x43: candidates = ["CONNECT", "COPY"]
        case 0x4F: candidates = ["OPTIONS"]
        case 0x54: candidates = ["TRACE"]
        case 0x4D: candidates = ["MKCOL", "MOVE"]
        case 0x4C: candidates = ["LOCK"]
        case 0x55: candidates = ["UNLOCK"]
        default: return nil
        }
        for method in candidates {
            let count = method.utf8CodeUnitCount
            guard at &+ count < end, buffer[at &+ count] == ByteClass.space else { continue }
            let text = method.utf8Start
            var equal = true
            for offset in 0..<count where buffer[at &+ offset] != text[offset] {
                equal = false
                break
            }
            if equal { return count }
        }
        return nil
    }
}
