import DeskCore
import Foundation

/// Runs jobs at most `parallel` at a time, each on its own thread, and hands each result to a callback as
/// soon as it is known. One job's failure never stops the others; a stop request (SIGINT, SIGTERM) stops
/// starting new ones.
public final class EvalScheduler: @unchecked Sendable {
    public let parallel: Int
    /// Checked before each job starts.
    public let stopFlag: StopFlag
    private let lock = NSLock()
    private var queue: [(Int, EvalJob)] = []
    private var results: [Int: EvalRunRecord] = [:]

    public init(parallel: Int, stopFlag: StopFlag = .shared) {
        self.parallel = max(1, parallel)
        self.stopFlag = stopFlag
    }

    /// Runs every job (unless a stop is requested) and returns the records of those that ran, in job order.
    /// `finished` is called once per job, from the worker thread that ran it, never concurrently.
    public func run(_ jobs: [EvalJob], runner: any EvalAttemptRunner,
                    finished: @escaping @Sendable (EvalJob, EvalRunRecord) -> Void) -> [(EvalJob, EvalRunRecord)] {
        lock.lock()
        queue = Array(jobs.enumerated()).reversed()
        results = [:]
        lock.unlock()
        let report = NSLock()
        let group = DispatchGroup()
        for slot in 0..<min(parallel, max(1, jobs.count)) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while let (index, job) = next() {
                    let record = runner.run(job)
                    lock.lock()
                    results[index] = record
                    lock.unlock()
                    report.lock()
                    finished(job, record)
                    report.unlock()
                }
            }
            thread.name = "deskpilot-eval-\(slot)"
            thread.start()
        }
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        return jobs.enumerated().compactMap { index, job in results[index].map { (job, $0) } }
    }

    private func next() -> (Int, EvalJob)? {
        lock.lock()
        defer { lock.unlock() }
        if stopFlag.isRequested { return nil }
        return queue.popLast()
    }
}
