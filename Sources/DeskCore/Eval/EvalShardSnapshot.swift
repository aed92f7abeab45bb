import Foundation

/// What one shard folder holds, read from disk by the caller: its `progress.json` and `results.json`
/// (either may be missing), and whether its process is known to be gone.
public struct EvalShardSnapshot: Sendable {
    /// The folder, as it should be named in the output.
    public var path: String
    public var progress: EvalShardProgress?
    public var results: EvalResults?
    /// True when the run's process is known not to exist any more (same host, pid gone); false when it is
    /// alive or cannot be checked (another host).
    public var processGone: Bool

    public init(path: String, progress: EvalShardProgress?, results: EvalResults?, processGone: Bool = false) {
        self.path = path
        self.progress = progress
        self.results = results
        self.processGone = processGone
    }

    /// The shard this folder covers, from either file.
    public var shard: EvalShard? { progress?.shard ?? results?.shard }

    /// True when its results are complete and can be merged: `results.json` is there and the run that wrote
    /// it was not stopped early (`progress.json` says finished, or there is none — results from before
    /// progress files existed).
    public var isComplete: Bool {
        guard results != nil else { return false }
        guard let progress else { return true }
        return progress.state == .finished
    }

    /// Its status. `ended`: the job running the shards is over (as when the merge job runs), so a shard
    /// still "running" died.
    public func status(ended: Bool) -> EvalShardStatus? {
        guard let shard else { return nil }
        let host = progress?.host ?? results?.host
        if isComplete, let results {
            let runs = results.tasks.flatMap(\.runs)
            let passed = runs.filter(\.status.isPass).count
            return EvalShardStatus(shard: shard, state: .finished, path: path, host: host, total: runs.count,
                                   done: runs.count, passed: passed, failed: runs.count - passed,
                                   started: results.started, updated: results.finished)
        }
        guard let progress else { return nil }
        var status = EvalShardStatus(shard: shard, state: .running, path: path, host: host, total: progress.total,
                                     done: progress.done, passed: progress.passed, failed: progress.failed,
                                     started: progress.started, updated: progress.updated)
        let did = "\(progress.done) of \(progress.total) attempts done"
        let last = "last report \(TraceCoding.formatTime(progress.updated))\(host.map { " on \($0)" } ?? "")"
        if progress.state == .stopped {
            status.state = .stopped
            status.detail = "stopped before it finished (time limit, scancel or SIGTERM): \(did); \(last)"
        } else if progress.state == .finished {
            // progress says finished but results.json is unreadable or gone.
            status.state = .died
            status.detail = "finished but its results.json is missing: \(did); \(last)"
        } else if ended || processGone {
            status.state = .died
            status.detail = "ended without results (killed, crashed, or its node was lost): \(did); \(last)"
        }
        return status
    }
}
