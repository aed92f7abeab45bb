import DeskAgent
import DeskCore
import Foundation
import Synchronization
import Testing
import DeskTestSupport

/// The scheduling and assembly of an eval run, with a fake attempt runner instead of child processes.
@Suite(.ownThread)
struct EvalSessionTests {
    /// Answers from a table by task id, counting how many attempts run at once.
    final class FakeRunner: EvalAttemptRunner, Sendable {
        let outcomes: [String: EvalRunStatus]
        /// Each attempt holds until this many attempts have been running at once (so that overlap is seen
        /// whenever the scheduler allows it, however the threads are scheduled), or 20 s have passed.
        let meeting: Int
        private let state = Mutex<(running: Int, mostAtOnce: Int, ran: [String])>((0, 0, []))
        var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
        var ran: [String] { state.withLock { $0.ran } }

        init(_ outcomes: [String: EvalRunStatus], meeting: Int = 1) {
            self.outcomes = outcomes
            self.meeting = meeting
        }

        func run(_ job: EvalJob) -> EvalRunRecord {
            state.withLock { state in
                state.running += 1
                state.mostAtOnce = max(state.mostAtOnce, state.running)
                state.ran.append(job.label)
            }
            let deadline = Date().addingTimeInterval(20)
            while mostAtOnce < meeting && Date() < deadline { usleep(1_000) }
            state.withLock { $0.running -= 1 }
            let status = outcomes[job.entry.id] ?? .passed
            return EvalRunRecord(attempt: job.attempt, status: status, error: status.isPass ? nil : "\(status.rawValue)!",
                                 steps: 2, durationS: 0.02, trace: job.traceParent + "/run")
        }

        func describe(_ entry: EvalSuiteEntry) -> (name: String, goal: String?)? {
            (entry.id.split(separator: "/").last.map(String.init) ?? entry.id, "goal of \(entry.id)")
        }
    }

    static func entries(_ ids: [String]) -> [EvalSuiteEntry] {
        ids.map { EvalSuiteEntry(id: $0, group: EvalTaskResult.group(ofID: $0), file: $0 + ".yaml", path: "/suite/\($0).yaml") }
    }

    static let ids = ["calc/a", "calc/b", "forms/a", "forms/b", "term/a", "term/b", "term/c", "top"]

    @Test func failuresOfEveryKindDoNotStopTheOthers() {
        let runner = FakeRunner(["calc/b": .failed, "forms/b": .setupFailed, "term/b": .crashed, "term/c": .timeout,
                                 "top": .error])
        let session = EvalSession(suite: "suite", entries: Self.entries(Self.ids), parallel: 3, deskpilotVersion: "test")
        let progress = ProgressLog()
        let results = session.run(runner: runner) { job, record, p, _ in progress.add(job.label, record.status, p) }
        #expect(results.tasks.map(\.id) == Self.ids)
        #expect(results.tasks.map(\.status) == [.passed, .failed, .passed, .setupFailed, .passed, .crashed, .timeout, .error])
        #expect(results.tasks[0].name == "a")
        #expect(results.tasks[0].goal == "goal of calc/a")
        #expect(results.tasks.last?.group == EvalTaskResult.ungrouped)
        #expect(results.totals.passedTasks == 3)
        #expect(!results.allPassed)
        // One progress line per attempt, counting up to the total.
        #expect(progress.entries.count == Self.ids.count)
        #expect(progress.entries.map(\.2.done) == Array(1...Self.ids.count))
        #expect(progress.entries.last?.2.passed == 3)
    }

    @Test(arguments: [1, 2, 4])
    func parallelIsAnUpperBound(parallel: Int) {
        let runner = FakeRunner([:], meeting: min(parallel, 2))
        let session = EvalSession(suite: "s", entries: Self.entries(Self.ids), parallel: parallel, deskpilotVersion: "test")
        let results = session.run(runner: runner)
        #expect(results.tasks.count == Self.ids.count)
        #expect(runner.mostAtOnce <= parallel)
        #expect(runner.mostAtOnce >= min(parallel, 2))
        #expect(results.parallel == parallel)
    }

    @Test func repeatRunsEveryTaskKTimesInRounds() {
        let runner = FakeRunner([:])
        let session = EvalSession(suite: "s", entries: Self.entries(["a/x", "a/y"]), repeatCount: 3, parallel: 1,
                                  deskpilotVersion: "test")
        #expect(session.jobs.map(\.label) == ["a/x#1", "a/y#1", "a/x#2", "a/y#2", "a/x#3", "a/y#3"])
        #expect(session.jobs.map(\.traceParent).first == "traces/a/x-r1")
        let results = session.run(runner: runner)
        #expect(results.tasks.allSatisfy { $0.runs.map(\.attempt) == [1, 2, 3] })
        #expect(results.totals.runs == 6)
        #expect(results.repeat == 3)
    }

    @Test func aShardRunsOnlyItsSlice() throws {
        let shard = try EvalShard(index: 1, count: 3)
        let runner = FakeRunner([:])
        let session = EvalSession(suite: "s", entries: Self.entries(Self.ids.reversed()), shard: shard, deskpilotVersion: "test")
        let results = session.run(runner: runner)
        #expect(results.tasks.map(\.id) == shard.select(ids: Self.ids))
        #expect(Set(runner.ran) == Set(shard.select(ids: Self.ids)))
        #expect(results.shard == shard)
        #expect(session.jobs.first?.traceParent == "traces/" + shard.select(ids: Self.ids)[0])
    }

    @Test func aStopRequestStartsNothingNew() {
        let stop = StopFlag()
        stop.request("test stop")
        let runner = FakeRunner([:])
        let results = EvalSession(suite: "s", entries: Self.entries(Self.ids), deskpilotVersion: "test", stopFlag: stop)
            .run(runner: runner)
        #expect(runner.ran.isEmpty)
        #expect(results.tasks.isEmpty)
        #expect(!results.allPassed)
    }
}

/// Progress callbacks, collected.
final class ProgressLog: Sendable {
    private let logged = Mutex<[(String, EvalRunStatus, EvalProgress)]>([])
    var entries: [(String, EvalRunStatus, EvalProgress)] { logged.withLock { $0 } }

    func add(_ label: String, _ status: EvalRunStatus, _ progress: EvalProgress) {
        logged.withLock { $0.append((label, status, progress)) }
    }
}
