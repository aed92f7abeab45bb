import DeskCore
import Foundation
import Synchronization

/// Runs jobs at most `parallel` at a time, each on its own thread, and hands each result to a callback as
/// soon as it is known. One job's failure never stops the others; a stop request (SIGINT, SIGTERM) stops
/// starting new ones.
public final class EvalScheduler: Sendable {
    public let parallel: Int
    /// Checked before each job starts.
    public let stopFlag: StopFlag
    private struct Work {
        var queue: [(Int, EvalJob)] = []
        var results: [Int: EvalRunRecord] = [:]
    }
    private let work = Mutex(Work())
    /// Serialises `finished` (its contract) without holding `work`, so a slow report never delays a worker.
    private let reporting = Mutex(())

    public init(parallel: Int, stopFlag: StopFlag = .shared) {
        self.parallel = max(1, parallel)
        self.stopFlag = stopFlag
    }

    /// Runs every job (unless a stop is requested) and returns the records of those that ran, in job order.
    /// `finished` is called once per job, from the worker thread that ran it, never concurrently.
    public func run(_ jobs: [EvalJob], runner: any EvalAttemptRunner,
                    finished: @escaping @Sendable (EvalJob, EvalRunRecord) -> Void) -> [(EvalJob, EvalRunRecord)] {
        work.withLock { $0 = Work(queue: Array(jobs.enumerated()).reversed()) }
        let group = DispatchGroup()
        for slot in 0..<min(parallel, max(1, jobs.count)) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while let (index, job) = next() {
                    let record = runner.run(job)
                    work.withLock { $0.results[index] = record }
                    reporting.withLock { _ in finished(job, record) }
                }
            }
            thread.name = "deskpilot-eval-\(slot)"
            thread.start()
        }
        group.wait()
        let results = work.withLock { $0.results }
        return jobs.enumerated().compactMap { index, job in results[index].map { (job, $0) } }
    }

    private func next() -> (Int, EvalJob)? {
        work.withLock { work in
            if stopFlag.isRequested { return nil }
            return work.queue.popLast()
        }
    }
}
