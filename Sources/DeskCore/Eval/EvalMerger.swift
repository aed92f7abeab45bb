import Foundation

/// Combines the results of a suite's shards into one report (`eval --merge`).
///
/// The shards must agree on what they measured — mode, model and `--repeat` — and no task may appear in two
/// of them. Shards of a `--shard I/N` split that are missing are listed in ``EvalResults/missingShards`` (the
/// report is then partial, and says so). Totals are recomputed from the tasks, so a complete merge has the
/// same tasks, statuses, checks and totals as one unsharded run.
public enum EvalMerger {
    /// One shard's results and where its folder is relative to the merged folder (its trace and log paths
    /// are rebased onto it; empty leaves them as they are).
    public struct Input: Sendable {
        public var results: EvalResults
        public var pathPrefix: String
        /// How to name the shard in errors (its folder).
        public var label: String

        public init(results: EvalResults, pathPrefix: String, label: String) {
            self.results = results
            self.pathPrefix = pathPrefix
            self.label = label
        }
    }

    /// Merges `inputs` (complete shards). `incomplete`: shards whose folder holds no complete results (they
    /// died, were stopped, or have not started): they are listed in ``EvalResults/shardFailures`` and
    /// ``EvalResults/missingShards`` — infrastructure failures, distinct from the tasks' own results.
    public static func merge(_ inputs: [Input], incomplete: [EvalShardStatus] = [], deskpilotVersion: String)
        throws(InputError) -> EvalResults {
        guard let first = inputs.first else {
            if let dead = incomplete.first {
                throw InputError("no shard has complete results to merge (shard \(dead.shard) \(dead.state.rawValue)\(dead.detail.map { ": \($0)" } ?? ""))")
            }
            throw InputError("--merge needs at least one shard's results folder")
        }
        for input in inputs.dropFirst() {
            let r = input.results
            if r.mode != first.results.mode {
                throw InputError("\(input.label) ran \(r.mode.rawValue) but \(first.label) ran \(first.results.mode.rawValue): results of different modes cannot be merged")
            }
            if r.model != first.results.model {
                throw InputError("\(input.label) and \(first.label) used different models: results of different models cannot be merged")
            }
            if r.repeat != first.results.repeat {
                throw InputError("\(input.label) ran --repeat \(r.repeat) but \(first.label) ran --repeat \(first.results.repeat)")
            }
        }
        var owner: [String: String] = [:]
        var tasks: [EvalTaskResult] = []
        for input in inputs {
            for var task in input.results.tasks {
                if let other = owner[task.id] {
                    throw InputError("task \(task.id) is in both \(other) and \(input.label): were the shards cut from different --shard counts, or is a folder given twice?")
                }
                owner[task.id] = input.label
                task.runs = task.runs.map { run in
                    var run = run
                    run.trace = run.trace.map { rebase($0, onto: input.pathPrefix) }
                    run.log = run.log.map { rebase($0, onto: input.pathPrefix) }
                    return run
                }
                tasks.append(task)
            }
        }
        let shards = inputs.compactMap(\.results.shard)
        var missing: [Int]?
        var failures: [EvalShardStatus] = []
        if let count = shards.first?.count, let odd = incomplete.first(where: { $0.shard.count != count }) {
            throw InputError("shard \(odd.shard)\(odd.path.map { " (\($0))" } ?? "") is from a different --shard split than \(first.label) (\(shards[0]))")
        }
        if shards.count == inputs.count, let count = shards.first?.count, shards.allSatisfy({ $0.count == count }) {
            let present = Set(shards.map(\.index))
            let absent = (0..<count).filter { !present.contains($0) }
            missing = absent.isEmpty ? nil : absent
            for index in absent {
                // The newest report of a shard folder that is there, else "never started".
                let known = incomplete.filter { $0.shard.index == index }
                    .max { ($0.updated ?? .distantPast) < ($1.updated ?? .distantPast) }
                if var known {
                    known.etaS = nil
                    failures.append(known)
                } else if let shard = try? EvalShard(index: index, count: count) {
                    failures.append(EvalShardStatus(shard: shard, state: .notStarted, total: 0,
                                                    detail: "no folder for this shard among those merged (not started, or its node was lost before it began)"))
                }
            }
        }
        let parts = inputs.map {
            EvalPart(path: $0.pathPrefix.isEmpty ? "." : $0.pathPrefix, shard: $0.results.shard, host: $0.results.host,
                     started: $0.results.started, wallS: $0.results.wallS, tasks: $0.results.tasks.count)
        }
        let merged = inputs.flatMap { $0.results.mergedFrom ?? [] }
        return EvalResults(
            deskpilotVersion: deskpilotVersion, suite: first.results.suite, mode: first.results.mode,
            model: first.results.model, started: inputs.map(\.results.started).min() ?? first.results.started,
            finished: inputs.map(\.results.finished).max() ?? first.results.finished,
            wallS: inputs.map(\.results.wallS).max() ?? 0, parallel: first.results.parallel,
            repeat: first.results.repeat, shard: nil, host: nil, tasks: tasks,
            mergedFrom: merged + parts, missingShards: missing, shardFailures: failures.isEmpty ? nil : failures)
    }

    /// `prefix/path`, unless `path` is absolute or `prefix` is empty.
    static func rebase(_ path: String, onto prefix: String) -> String {
        if prefix.isEmpty || path.hasPrefix("/") { return path }
        return prefix.hasSuffix("/") ? prefix + path : prefix + "/" + path
    }
}
