// Per-connection memory: the default connection cap must fit the 64 MiB budget.

import Testing
@testable import TCPReassembly

@Suite struct MemoryLayoutTests {
    @Test func defaultConnectionCapFitsTheMemoryBudget() {
        let perConnection = MemoryLayout<Connection>.stride
        let table = 16   // a bucket is 8 bytes and the table stays at most half full
        let total = (perConnection + table) * ReassemblyLimits.default.maxConnections
        // Connections plus the held-byte budget (which includes per-chunk overhead) stay well under 64 MiB.
        #expect(total + ReassemblyLimits.default.maxBufferedBytes < 48 << 20,
                "Connection stride \(perConnection) B, HalfStream \(MemoryLayout<HalfStream>.stride) B")
    }
}
