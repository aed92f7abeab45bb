import DeskCore
import Foundation
import Synchronization

/// One `deskpilot eval` run: the tasks of a shard, each attempted `repeat` times, `parallel` at a time,
/// assembled into ``EvalResults``.
public struct EvalSession: Sendable {
    /// The suite folder as the user gave it (recorded in the results).
    public var suite: String
    /// The whole suite; the session runs the shard's slice of it.
    public var entries: [EvalSuiteEntry]
    public var shard: EvalShard
    public var repeatCount: Int
    public var parallel: Int
    public var mode: EvalMode
    public var model: EvalModelInfo?
    public var deskpilotVersion: String
    public var host: String?
    /// A stop request here starts no new attempt (the running ones end by themselves).
    public var stopFlag: StopFlag

    public init(suite: String, entries: [EvalSuiteEntry], shard: EvalShard = .whole, repeatCount: Int = 1,
                parallel: Int = 1, mode: EvalMode = .scripted, model: EvalModelInfo? = nil,
                deskpilotVersion: String, host: String? = nil, stopFlag: StopFlag = .shared) {
        self.suite = suite
        self.entries = entries
        self.shard = shard
        self.repeatCount = max(1, repeatCount)
        self.parallel = max(1, parallel)
        self.mode = mode
        self.model = model
        self.deskpilotVersion = deskpilotVersion
        self.host = host
        self.stopFlag = stopFlag
    }

    /// This shard's tasks, sorted by id.
    public var selected: [EvalSuiteEntry] { shard.select(entries, id: \.id) }

    /// The attempts to run: every selected task once per round, `repeat` rounds (so a flaky task's attempts
    /// are spread over the run rather than back to back).
    public var jobs: [EvalJob] {
        (1...repeatCount).flatMap { attempt in
            selected.map { EvalJob(entry: $0, attempt: attempt, attempts: repeatCount) }
        }
    }

    /// Runs every attempt and returns the results. `progress` is called after each attempt with the
    /// progress so far and the seconds since the start.
    public func run(runner: any EvalAttemptRunner,
                    progress: @escaping @Sendable (EvalJob, EvalRunRecord, EvalProgress, Double) -> Void = { _, _, _, _ in })
        -> EvalResults {
        let started = Date()
        let clock = MonotonicClock.now()
        let jobs = self.jobs
        let tally = Tally(total: jobs.count)
        let scheduler = EvalScheduler(parallel: parallel, stopFlag: stopFlag)
        let records = scheduler.run(jobs, runner: runner) { job, record in
            let snapshot = tally.add(record.status)
            progress(job, record, snapshot, MonotonicClock.now() - clock)
        }
        var byTask: [String: [EvalRunRecord]] = [:]
        for (job, record) in records { byTask[job.entry.id, default: []].append(record) }
        let tasks = selected.compactMap { entry -> EvalTaskResult? in
            guard let runs = byTask[entry.id], !runs.isEmpty else { return nil }
            let about = runner.describe(entry)
            return EvalTaskResult(id: entry.id, group: entry.group, name: about?.name ?? entry.id, file: entry.file,
                                  goal: about?.goal, runs: runs)
        }
        return EvalResults(deskpilotVersion: deskpilotVersion, suite: suite, mode: mode, model: model, started: started,
                           finished: Date(), wallS: MonotonicClock.now() - clock, parallel: parallel,
                           repeat: repeatCount, shard: shard, host: host, tasks: tasks)
    }
}

/// The running count behind the progress line.
private final class Tally: Sendable {
    private let progress: Mutex<EvalProgress>

    init(total: Int) { progress = Mutex(EvalProgress(total: total)) }

    func add(_ status: EvalRunStatus) -> EvalProgress {
        progress.withLock { progress in
            progress.record(status)
            return progress
        }
    }
}
