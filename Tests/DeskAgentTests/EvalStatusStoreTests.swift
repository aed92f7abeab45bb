import DeskAgent
import DeskCore
import Foundation
import Testing
import DeskTestSupport

/// Shard folders on disk: `eval --status` finds them under OUT, `eval --merge` takes a folder that holds only
/// a progress.json (its shard died) as a missing shard instead of an error.
@Suite(.ownThread)
struct EvalStatusStoreTests {
    static let ids = ["a/1", "a/2", "b/1", "b/2", "c/1"]

    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "deskpilot-status-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func progress(_ shard: EvalShard, state: EvalShardProgress.State, done: Int, pid: Int32 = 42) -> EvalShardProgress {
        EvalShardProgress(state: state, shard: shard, suite: "suite", suiteTasks: ids.count, repeat: 1,
                          total: shard.select(ids: ids).count, done: done, passed: done, started: Date(timeIntervalSince1970: 1_750_000_000),
                          updated: Date(timeIntervalSince1970: 1_750_000_010), host: ProcessInfo.processInfo.hostName, pid: pid)
    }

    static func writeFinished(_ shard: EvalShard, into dir: String) throws {
        let tasks = shard.select(ids: ids).map { EvalSamples.task($0, [.passed]) }
        try EvalResultsStore.write(EvalSamples.results(tasks, shard: shard), to: dir)
        try EvalResultsStore.writeProgress(progress(shard, state: .finished, done: tasks.count), to: dir)
    }

    @Test func statusAndMergeOfADeadShard() throws {
        let out = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        let s0 = try EvalShard(index: 0, count: 3), s1 = try EvalShard(index: 1, count: 3)
        try Self.writeFinished(s0, into: out + "/shard-0")
        try FileManager.default.createDirectory(atPath: out + "/shard-1", withIntermediateDirectories: true)
        try EvalResultsStore.writeProgress(Self.progress(s1, state: .running, done: 1, pid: 4242), to: out + "/shard-1")

        // pid 4242 alive: running; shard 2 has no folder yet: not started (queued, not missing).
        var status = try EvalResultsStore.status(of: out) { _ in true }
        #expect(status.shards.map(\.state) == [.finished, .running, .notStarted])
        #expect(status.done == 3 && status.total == 5)
        #expect(status.missingShards.isEmpty)
        #expect(status.shards[1].path == "shard-1")
        // pid gone on this host: died.
        status = try EvalResultsStore.status(of: out) { _ in false }
        #expect(status.shards[1].state == .died)
        #expect(status.missingShards == [1])

        let merged = try EvalResultsStore.merge(shards: [out + "/shard-0", out + "/shard-1"], into: out + "/merged",
                                                deskpilotVersion: "test")
        #expect(merged.missingShards == [1, 2])
        #expect(merged.shardFailures?.map(\.state) == [.died, .notStarted])
        #expect(merged.shardFailures?.first?.path == "../shard-1")
        #expect(merged.tasks.map(\.id) == s0.select(ids: Self.ids))
        // The merged folder is skipped by --status (it is no shard).
        #expect(try EvalResultsStore.status(of: out) { _ in false }.shards.count == 3)
    }

    @Test func mergeStillRefusesAFolderWithNothingInIt() throws {
        let out = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out + "/empty", withIntermediateDirectories: true)
        #expect(throws: InputError.self) {
            try EvalResultsStore.merge(shards: [out + "/empty"], into: out + "/merged", deskpilotVersion: "test")
        }
        #expect(throws: InputError.self) { try EvalResultsStore.status(of: out) { _ in true } }
    }

    @Test func clearResultsRemovesAnEarlierRunsFiles() throws {
        let out = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: out) }
        try Self.writeFinished(.whole, into: out)
        EvalResultsStore.clearResults(in: out)
        #expect(!FileManager.default.fileExists(atPath: out + "/" + EvalResultsStore.jsonFile))
        #expect(!FileManager.default.fileExists(atPath: out + "/" + EvalResultsStore.progressFile))
    }
}
