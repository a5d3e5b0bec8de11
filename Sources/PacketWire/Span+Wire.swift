// Bounds-checked big-endian reads and length checks over a byte span, shared by every decoder.

extension Span where Element == UInt8 {
    /// Throws `.truncated(layer, …, limitedBy: .capture)` unless at least `length` bytes are present.
    ///
    /// Decoders call this once per length they depend on, so the reads that follow cannot trap.
    @inline(__always)
    func require(_ length: Int, for layer: Layer) throws(WireError) {
        if count < length {
            throw .truncated(layer, needed: length, available: count, limitedBy: .capture)
        }
    }

    /// The big-endian 16-bit value at `offset`; the caller has checked `offset + 2 <= count`.
    @inline(__always)
    func bigEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// The big-endian 32-bit value at `offset`; the caller has checked `offset + 4 <= count`.
    @inline(__always)
    func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16
            | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    /// The little-endian 32-bit value at `offset`; the caller has checked `offset + 4 <= count`.
    @inline(__always)
    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset + 3]) << 24 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 1]) << 8 | UInt32(self[offset])
    }

    /// The 48-bit big-endian value at `offset` (a MAC address); the caller has checked the length.
    @inline(__always)
    func bigEndianUInt48(at offset: Int) -> UInt64 {
        UInt64(bigEndianUInt16(at: offset)) << 32 | UInt64(bigEndianUInt32(at: offset + 2))
    }
}
