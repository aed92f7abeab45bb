import Foundation

/// `deskpilot eval --status OUT`: the progress of a split suite across its shard folders (or of one run's
/// folder): attempts done of the total, passed and failed, elapsed time and ETA, and each shard's state.
/// `eval --merge` uses the same reading to name the missing shards of a merge.
public struct EvalStatusReport: Sendable, Hashable, Codable {
    /// The folder read.
    public var out: String
    /// N of the `I/N` split (1 for one unsharded run).
    public var shardCount: Int
    /// One per shard index `0..<shardCount`, including those with no folder yet (`not_started`).
    public var shards: [EvalShardStatus]
    /// Attempts over all shards.
    public var total: Int
    public var done: Int
    public var passed: Int
    public var failed: Int
    /// Since the first shard started (to now while any runs; to the last report once none does).
    public var elapsedS: Double?
    /// Estimated seconds until the last shard finishes, assuming the shards run side by side; nil when no
    /// attempt has finished yet, 0 once none is left to run.
    public var etaS: Double?
    /// Shards that stopped or died — and, once the job is over (`ended`), those that never started: what a
    /// re-run of the missing shards runs.
    public var missingShards: [Int]
    /// Every shard that has not finished (missing ones and running ones): what to re-run once the job that
    /// ran them is known to be over (a shard "running" on another host then died).
    public var unfinishedShards: [Int]
    /// True when every shard finished.
    public var complete: Bool

    enum CodingKeys: String, CodingKey {
        case out, shardCount = "shard_count", shards, total, done, passed, failed, elapsedS = "elapsed_s"
        case etaS = "eta_s", missingShards = "missing_shards", unfinishedShards = "unfinished_shards", complete
    }

    public init(out: String, shardCount: Int, shards: [EvalShardStatus], total: Int, done: Int, passed: Int,
                failed: Int, elapsedS: Double?, etaS: Double?, missingShards: [Int], unfinishedShards: [Int],
                complete: Bool) {
        self.out = out
        self.shardCount = shardCount
        self.shards = shards
        self.total = total
        self.done = done
        self.passed = passed
        self.failed = failed
        self.elapsedS = elapsedS
        self.etaS = etaS
        self.missingShards = missingShards
        self.unfinishedShards = unfinishedShards
        self.complete = complete
    }

    /// The report over `snapshots` (the folders found; those without a shard are ignored) at `now`.
    /// `ended`: the job is over, so a shard still "running" died. Throws ``InputError`` when nothing is a
    /// shard or the shards come from different splits.
    public static func make(out: String, snapshots: [EvalShardSnapshot], now: Date, ended: Bool = false)
        throws(InputError) -> EvalStatusReport {
        let found = snapshots.compactMap { s in s.status(ended: ended).map { (s, $0) } }
        guard let first = found.first else {
            throw InputError("\(out): no shard folders (with a progress.json or results.json from deskpilot eval) in it")
        }
        let count = first.1.shard.count
        if let other = found.first(where: { $0.1.shard.count != count }) {
            throw InputError("\(other.0.path) is shard \(other.1.shard) but \(first.0.path) is shard \(first.1.shard): the folders come from different --shard splits")
        }
        // Two folders for one index: keep the finished one, else the one reported last.
        var byIndex: [Int: EvalShardStatus] = [:]
        for (_, status) in found {
            let i = status.shard.index
            guard let old = byIndex[i] else { byIndex[i] = status; continue }
            if (status.state == .finished) != (old.state == .finished) {
                if status.state == .finished { byIndex[i] = status }
            } else if (status.updated ?? .distantPast) > (old.updated ?? .distantPast) {
                byIndex[i] = status
            }
        }
        let suiteTasks = found.compactMap { $0.0.progress?.suiteTasks }.first
        let repeatCount = found.compactMap { $0.0.progress?.repeat ?? $0.0.results?.repeat }.first ?? 1
        var shards: [EvalShardStatus] = []
        for index in 0..<count {
            if let status = byIndex[index] { shards.append(status); continue }
            let shard = try EvalShard(index: index, count: count)
            let total = suiteTasks.map { EvalShardProgress.tasks(inShard: shard, suiteTasks: $0) * repeatCount } ?? 0
            shards.append(EvalShardStatus(shard: shard, state: .notStarted, total: total,
                                          detail: ended ? "never wrote its folder (not started, or its node was lost before it began)" : nil))
        }
        // ETA: each running shard at its own pace; a not-started one at the mean pace of the others.
        let paced = shards.compactMap { s -> Double? in
            guard s.done > 0, let started = s.started else { return nil }
            let end = s.state == .running ? now : (s.updated ?? now)
            return max(0, end.timeIntervalSince(started)) / Double(s.done)
        }
        let pace = paced.isEmpty ? nil : paced.reduce(0, +) / Double(paced.count)
        for i in shards.indices {
            let s = shards[i]
            let left = Double(max(0, s.total - s.done))
            switch s.state {
            case .running:
                if s.done > 0, let started = s.started {
                    shards[i].etaS = max(0, now.timeIntervalSince(started)) / Double(s.done) * left
                } else if let pace { shards[i].etaS = pace * left }
            case .notStarted where !ended:
                if let pace { shards[i].etaS = pace * left }
            default: break
            }
        }
        let open = shards.filter { $0.state == .running || ($0.state == .notStarted && !ended) }
        let eta: Double? = open.isEmpty ? 0 : (open.allSatisfy { $0.etaS != nil } ? open.compactMap(\.etaS).max() : nil)
        let starts = shards.compactMap(\.started)
        var elapsed: Double?
        if let start = starts.min() {
            let end = shards.contains { $0.state == .running } ? now : (shards.compactMap(\.updated).max() ?? now)
            elapsed = max(0, end.timeIntervalSince(start))
        }
        // While the job runs, a shard not started yet is queued, not missing.
        let missing = shards.filter { $0.state.isMissing && ($0.state != .notStarted || ended) }.map(\.shard.index)
        return EvalStatusReport(
            out: out, shardCount: count, shards: shards, total: shards.map(\.total).reduce(0, +),
            done: shards.map(\.done).reduce(0, +), passed: shards.map(\.passed).reduce(0, +),
            failed: shards.map(\.failed).reduce(0, +), elapsedS: elapsed, etaS: eta, missingShards: missing,
            unfinishedShards: shards.filter { $0.state != .finished }.map(\.shard.index),
            complete: shards.allSatisfy { $0.state == .finished })
    }

    /// The lines people read: the totals, then one line per shard.
    public func lines() -> [String] {
        var counts: [String] = []
        for state in EvalShardStatus.State.allCases {
            let n = shards.filter { $0.state == state }.count
            if n > 0 { counts.append("\(n) \(state.rawValue.replacingOccurrences(of: "_", with: " "))") }
        }
        var head = "\(done)/\(total) attempts done · \(passed) passed, \(failed) failed"
        head += " · \(shardCount) shard\(shardCount == 1 ? "" : "s"): \(counts.joined(separator: ", "))"
        if let elapsedS { head += " · \(DurationWords.format(elapsedS)) elapsed" }
        if complete {
            head += ", complete"
        } else if let etaS, etaS > 0 {
            head += ", ETA \(DurationWords.format(etaS))"
        } else if etaS == nil {
            head += ", ETA unknown"
        }
        var out = [head]
        let width = String(shardCount - 1).count * 2 + 1
        for s in shards {
            var line = "  shard " + "\(s.shard)".padding(toLength: width, withPad: " ", startingAt: 0)
            line += "  " + s.state.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            line += " \(s.done)/\(s.total)"
            if s.done > 0 { line += " · \(s.passed) passed, \(s.failed) failed" }
            if let host = s.host { line += " · \(host)" }
            if s.state == .running || s.state == .notStarted, let eta = s.etaS, eta > 0 {
                line += " · ETA \(DurationWords.format(eta))"
            }
            if let path = s.path { line += " · \(path)" }
            out.append(line)
        }
        if !missingShards.isEmpty {
            out.append("missing shards: \(missingShards.map(String.init).joined(separator: ","))")
        }
        return out
    }
}
