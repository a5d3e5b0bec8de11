// A second thread for one job, started at once and joined by its owner.

import Glibc

/// Runs `job` on a thread of its own. `join()` waits for it to return (also done on deinit).
public final class WorkerThread {
    private final class Job: @unchecked Sendable {
        // Set once in init, run once on the new thread: never touched by two threads at a time.
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private var thread = pthread_t()
    private var joined = false

    /// Starts `body` on a new thread; nil if the system will not start one.
    public init?(_ body: @escaping @Sendable () -> Void) {
        let context = unsafe Unmanaged.passRetained(Job(body)).toOpaque()
        let status = unsafe pthread_create(&thread, nil, { context in
            // Safety: `context` is the retained `Job` passed below, released here once.
            let job = unsafe Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            job.body()
            return nil
        }, context)
        guard status == 0 else {
            unsafe Unmanaged<Job>.fromOpaque(context).release()
            return nil
        }
    }

    deinit { join() }

    /// Waits until the job has returned.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}
