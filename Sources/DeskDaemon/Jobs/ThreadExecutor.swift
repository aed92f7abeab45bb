import Foundation

/// A task executor with one thread of its own.
///
/// The agent loop and the task runner block their thread for long stretches (typing, settling, waiting
/// for a confirmation). On the shared cooperative pool (two threads on a two-core machine) two such jobs
/// would starve the socket server; a job that prefers this executor blocks only its own thread.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var closed = false

    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        if closed {
            condition.unlock()
            // Late work (a child task finishing after the job) still runs, on a shared thread.
            let executor = asUnownedTaskExecutor()
            DispatchQueue.global().async { unowned.runSynchronously(on: executor) }
            return
        }
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once its queued work is done.
    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !closed { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
