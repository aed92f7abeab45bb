import DeskCore
import Foundation
import Testing

/// `eval --status` across shard folders, and what `eval --merge` says about shards that died or never ran.
struct EvalStatusTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)
    static let ids = (1...10).map { "g\($0 % 3)/task-\($0)" }

    static func progress(_ index: Int, of count: Int, done: Int, failed: Int = 0, state: EvalShardProgress.State = .running,
                         startedAgo: Double = 100, now: Date = t0.addingTimeInterval(1000)) throws -> EvalShardProgress {
        let shard = try EvalShard(index: index, count: count)
        return EvalShardProgress(state: state, shard: shard, suite: "suite", suiteTasks: ids.count, repeat: 1,
                                 total: shard.select(ids: ids).count, done: done, passed: done - failed, failed: failed,
                                 started: now.addingTimeInterval(-startedAgo), updated: now, host: "node-\(index)", pid: 42)
    }

    static func finished(_ index: Int, of count: Int, failing: Set<String> = []) throws -> EvalResults {
        let shard = try EvalShard(index: index, count: count)
        let tasks = shard.select(ids: ids).map { EvalResultsTests.task($0, [failing.contains($0) ? .failed : .passed]) }
        return EvalResultsTests.results(tasks, shard: shard)
    }

    @Test func shardSizesFollowTheRoundRobinDeal() throws {
        for count in 1...11 {
            for index in 0..<count {
                let shard = try EvalShard(index: index, count: count)
                #expect(EvalShardProgress.tasks(inShard: shard, suiteTasks: Self.ids.count) == shard.select(ids: Self.ids).count)
            }
        }
    }

    @Test func statusWhileTheArrayRuns() throws {
        let now = Self.t0.addingTimeInterval(1000)
        let snapshots = [
            EvalShardSnapshot(path: "shard-0", progress: try Self.progress(0, of: 4, done: 3, state: .finished),
                              results: try Self.finished(0, of: 4)),
            // 1 of 3 done in 100 s: 200 s left.
            EvalShardSnapshot(path: "shard-1", progress: try Self.progress(1, of: 4, done: 1, failed: 1), results: nil),
            EvalShardSnapshot(path: "shard-3", progress: try Self.progress(3, of: 4, done: 0, startedAgo: 5), results: nil),
        ]
        let report = try EvalStatusReport.make(out: "out", snapshots: snapshots, now: now)
        #expect(report.shardCount == 4)
        #expect(report.shards.map(\.state) == [.finished, .running, .notStarted, .running])
        #expect(report.total == 10)
        #expect(report.done == 4)
        #expect(report.passed == 3)
        #expect(report.failed == 1)
        #expect(report.shards[2].total == 2)
        #expect(report.missingShards == [])  // queued, not missing, while the job runs
        #expect(report.unfinishedShards == [1, 2, 3])
        #expect(!report.complete)
        #expect(abs((report.shards[1].etaS ?? 0) - 200) < 0.001)
        #expect((report.etaS ?? 0) >= 200)
        let text = report.lines().joined(separator: "\n")
        #expect(text.contains("4/10 attempts done · 3 passed, 1 failed"))
        #expect(text.contains("ETA"))
    }

    @Test func aShardWhoseProcessIsGoneDied() throws {
        let gone = EvalShardSnapshot(path: "shard-1", progress: try Self.progress(1, of: 2, done: 2), results: nil,
                                     processGone: true)
        let report = try EvalStatusReport.make(out: "out", snapshots: [gone], now: Self.t0.addingTimeInterval(1000))
        #expect(report.shards.map(\.state) == [.notStarted, .died])
        #expect(report.missingShards == [1])
        #expect(report.shards[1].detail?.contains("2 of 5 attempts done") == true)
    }

    @Test func completeStatusHasNoETA() throws {
        let snapshots = try (0..<3).map {
            EvalShardSnapshot(path: "shard-\($0)", progress: try Self.progress($0, of: 3, done: EvalShard(index: $0, count: 3).select(ids: Self.ids).count, state: .finished),
                              results: try Self.finished($0, of: 3))
        }
        let report = try EvalStatusReport.make(out: "out", snapshots: snapshots, now: Self.t0.addingTimeInterval(5000))
        #expect(report.complete)
        #expect(report.done == 10 && report.total == 10 && report.passed == 10)
        #expect(report.etaS == 0)
        #expect(report.missingShards.isEmpty && report.unfinishedShards.isEmpty)
    }

    @Test func statusRefusesMixedSplitsAndEmptyFolders() throws {
        let a = EvalShardSnapshot(path: "a", progress: try Self.progress(0, of: 2, done: 0), results: nil)
        let b = EvalShardSnapshot(path: "b", progress: try Self.progress(0, of: 3, done: 0), results: nil)
        #expect(throws: InputError.self) { try EvalStatusReport.make(out: "o", snapshots: [a, b], now: Self.t0) }
        #expect(throws: InputError.self) { try EvalStatusReport.make(out: "o", snapshots: [], now: Self.t0) }
    }

    /// A shard stopped early wrote partial results: they are not merged as if complete.
    @Test func stoppedAndDiedShardsAreInfrastructureFailuresInTheMerge() throws {
        let stopped = EvalShardSnapshot(path: "../shard-1", progress: try Self.progress(1, of: 3, done: 1, state: .stopped),
                                        results: try Self.finished(1, of: 3))
        #expect(!stopped.isComplete)
        let died = EvalShardSnapshot(path: "../shard-2", progress: try Self.progress(2, of: 3, done: 2), results: nil)
        let incomplete = [try #require(stopped.status(ended: true)), try #require(died.status(ended: true))]
        #expect(incomplete.map(\.state) == [.stopped, .died])
        let merged = try EvalMerger.merge([.init(results: try Self.finished(0, of: 3, failing: ["g1/task-1"]),
                                                 pathPrefix: "../shard-0", label: "shard-0")],
                                          incomplete: incomplete, deskpilotVersion: "test")
        #expect(merged.missingShards == [1, 2])
        #expect(merged.shardFailures?.map(\.state) == [.stopped, .died])
        #expect(merged.shardFailures?.map(\.path) == ["../shard-1", "../shard-2"])
        // Only shard 0's tasks; its failing task is a result, reported as failed, not as missing.
        #expect(merged.tasks.map(\.id) == (try EvalShard(index: 0, count: 3)).select(ids: Self.ids))
        #expect(merged.tasks.first { $0.id == "g1/task-1" }?.status == .failed)
        let report = EvalMarkdown.render(merged)
        #expect(report.contains("infrastructure failure"))
        #expect(report.contains("shard 2/3 died"))
    }

    @Test func aShardWithNoFolderIsNamedNotStarted() throws {
        let merged = try EvalMerger.merge([.init(results: try Self.finished(1, of: 2), pathPrefix: "", label: "s1")],
                                          deskpilotVersion: "test")
        #expect(merged.missingShards == [0])
        #expect(merged.shardFailures?.first?.state == .notStarted)
        #expect(merged.shardFailures?.first?.shard == (try EvalShard(index: 0, count: 2)))
    }

    @Test func aCompleteMergeHasNoFailures() throws {
        let merged = try EvalMerger.merge(try (0..<2).map { .init(results: try Self.finished($0, of: 2), pathPrefix: "", label: "s\($0)") },
                                          deskpilotVersion: "test")
        #expect(merged.missingShards == nil)
        #expect(merged.shardFailures == nil)
        #expect(merged.tasks.count == Self.ids.count)
    }

    @Test func progressRoundTripsInSnakeCase() throws {
        let p = try Self.progress(1, of: 4, done: 2, failed: 1)
        let data = try JSONStyle.encoder().encode(p)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"suite_tasks\":10"))
        #expect(text.contains("\"schema_version\":1"))
        #expect(try JSONStyle.decoder().decode(EvalShardProgress.self, from: data) == p)
    }
}
