// Ctrl-C and SIGTERM: ask the capture loop to stop, so -w files are flushed and statistics printed.

internal import CPcap
import Glibc
import Synchronization

/// Process-wide stop request set by SIGINT/SIGTERM/SIGHUP. A C signal handler cannot capture
/// context, so the flag and the handle to interrupt are globals, written before handlers install.
public enum StopSignal {
    private static let requested = Atomic<Bool>(false)
    // Safety: written once before the handlers are installed and read only by the handler.
    nonisolated(unsafe) private static var liveHandle: OpaquePointer?

    /// Whether a stop was requested.
    public static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Installs the handlers. `handle`, when given, is interrupted so a blocked live read returns.
    public static func install(interrupting handle: PcapHandle?) {
        unsafe liveHandle = handle?.rawPointer
        let handler: @convention(c) (Int32) -> Void = { _ in
            StopSignal.requested.store(true, ordering: .relaxed)
            // pcap_breakloop only sets a flag (and on Linux writes an eventfd): signal-safe.
            if let pointer = unsafe StopSignal.liveHandle { pcap_breakloop(pointer) }
        }
        // A parent may have left these blocked (seen when started from a test runner's thread);
        // unblock them, or Ctrl-C would never reach the handler.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, number) }
        unsafe sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            unsafe sigaction(number, &action, nil)
        }
    }

    /// Asks the loop to stop, as a signal would (used by `-c N` and tests).
    public static func request() { requested.store(true, ordering: .relaxed) }
}
