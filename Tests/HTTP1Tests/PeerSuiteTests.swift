// Runs every peer case whole, split at every byte, and one byte at a time.

import HTTP1
import Testing

@Suite("Peer cases (llhttp / http-parser behaviours)")
struct PeerSuiteTests {
    @Test(arguments: ResponseCases.all)
    func response(_ peer: PeerCase) {
        #expect(peer.script.run().log.compact == peer.expected)
        #expect(peer.script.firstSplitMismatch() == nil)
    }

    @Test(arguments: RequestCases.all)
    func request(_ peer: PeerCase) {
        #expect(peer.script.run().log.compact == peer.expected)
        #expect(peer.script.firstSplitMismatch() == nil)
    }
}
