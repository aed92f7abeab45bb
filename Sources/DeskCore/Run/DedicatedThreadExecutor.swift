import Foundation
import Synchronization

/// A task executor with threads of its own, for work that blocks (Xlib round trips, typing, settling,
/// waiting for a child process).
///
/// Swift's cooperative pool has one thread per core (two on a two-core machine); work that blocks one of them
/// starves everything else scheduled there, such as a socket server. Code that prefers this executor
/// (`withTaskExecutorPreference`) blocks only these threads. Late jobs, enqueued after ``close()``, still run,
/// on a shared Dispatch thread.
public final class DedicatedThreadExecutor: TaskExecutor, Sendable {
    private struct Queue: ~Copyable {
        var jobs: [UnownedJob] = []
        var closed = false
    }

    private let queue = Mutex(Queue())
    /// One signal per queued job and one per thread at close, so every wake-up finds work or the end.
    private let wake = DispatchSemaphore(value: 0)
    private let threadCount: Int

    /// Starts `threads` threads named `name` (at least one).
    public init(name: String, threads: Int = 1) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { [self] in run() }
            thread.name = threadCount == 1 ? name : "\(name)-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let accepted = queue.withLock { queue in
            guard !queue.closed else { return false }
            queue.jobs.append(unowned)
            return true
        }
        if accepted {
            wake.signal()
        } else {
            let executor = asUnownedTaskExecutor()
            DispatchQueue.global().async { unowned.runSynchronously(on: executor) }
        }
    }

    /// Ends the threads once the queued work is done.
    public func close() {
        let wasOpen = queue.withLock { queue in
            defer { queue.closed = true }
            return !queue.closed
        }
        guard wasOpen else { return }
        for _ in 0..<threadCount { wake.signal() }
    }

    private func run() {
        while true {
            wake.wait()
            let next: UnownedJob?? = queue.withLock { queue in
                if !queue.jobs.isEmpty { return .some(queue.jobs.removeFirst()) }
                return queue.closed ? .some(nil) : nil
            }
            switch next {
            case .some(.some(let job)): job.runSynchronously(on: asUnownedTaskExecutor())
            case .some(.none): return
            case .none: continue
            }
        }
    }
}
