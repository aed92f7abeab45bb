import Foundation

/// `results.json`: a suite's results, one run or several shards merged. Documented as a JSON Schema in
/// `docs/results.schema.json` (keep the two in step; a test validates one against the other).
public struct EvalResults: Sendable, Hashable, Codable {
    /// The version of this format; readers refuse a newer one.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var deskpilotVersion: String
    /// The suite folder as given on the command line.
    public var suite: String
    public var mode: EvalMode
    /// The model, in agent mode.
    public var model: EvalModelInfo?
    public var started: Date
    public var finished: Date
    /// Wall time of the run; for a merge, of the longest shard.
    public var wallS: Double
    /// Tasks run at once (`--parallel`).
    public var parallel: Int
    /// Attempts per task (`--repeat`).
    public var `repeat`: Int
    /// The slice this run covered; `0/1` for a whole suite; nil for a merge.
    public var shard: EvalShard?
    public var host: String?
    /// For a merge: the shards' results it combines.
    public var mergedFrom: [EvalPart]?
    /// For a merge of `I/N` shards: the indices missing from `0..<N` (the report is partial).
    public var missingShards: [Int]?
    /// For a merge with missing shards: each one's state (`not_started`, `stopped`, `died`) and why — an
    /// infrastructure failure, not a task result; re-run those shards only.
    public var shardFailures: [EvalShardStatus]?
    public var totals: EvalTotals
    public var groups: [EvalGroupSummary]
    /// Sorted by id.
    public var tasks: [EvalTaskResult]

    public init(deskpilotVersion: String, suite: String, mode: EvalMode, model: EvalModelInfo?, started: Date,
                finished: Date, wallS: Double, parallel: Int, repeat: Int, shard: EvalShard?, host: String?,
                tasks: [EvalTaskResult], mergedFrom: [EvalPart]? = nil, missingShards: [Int]? = nil,
                shardFailures: [EvalShardStatus]? = nil) {
        schemaVersion = Self.currentSchemaVersion
        self.deskpilotVersion = deskpilotVersion
        self.suite = suite
        self.mode = mode
        self.model = model
        self.started = started
        self.finished = finished
        self.wallS = wallS
        self.parallel = parallel
        self.repeat = `repeat`
        self.shard = shard
        self.host = host
        self.mergedFrom = mergedFrom
        self.missingShards = missingShards
        self.shardFailures = shardFailures
        let sorted = tasks.sorted { $0.id < $1.id }
        self.tasks = sorted
        totals = EvalTotals(tasks: sorted, k: `repeat`)
        groups = EvalGroupSummary.summaries(of: sorted, k: `repeat`)
    }

    /// True when every task passed every attempt (and the suite was not empty): `eval` exits 0 only then.
    public var allPassed: Bool { !tasks.isEmpty && tasks.allSatisfy { $0.status == .passed } }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", deskpilotVersion = "deskpilot_version", suite, mode, model, started
        case finished, wallS = "wall_s", parallel, `repeat`, shard, host, mergedFrom = "merged_from"
        case missingShards = "missing_shards", shardFailures = "shard_failures", totals, groups, tasks
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        guard schemaVersion <= Self.currentSchemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: c,
                debugDescription: "results format \(schemaVersion) is newer than this deskpilot reads (\(Self.currentSchemaVersion))")
        }
        deskpilotVersion = try c.decode(String.self, forKey: .deskpilotVersion)
        suite = try c.decode(String.self, forKey: .suite)
        mode = try c.decode(EvalMode.self, forKey: .mode)
        model = try c.decodeIfPresent(EvalModelInfo.self, forKey: .model)
        started = try c.decode(Date.self, forKey: .started)
        finished = try c.decode(Date.self, forKey: .finished)
        wallS = try c.decode(Double.self, forKey: .wallS)
        parallel = try c.decode(Int.self, forKey: .parallel)
        `repeat` = try c.decode(Int.self, forKey: .repeat)
        shard = try c.decodeIfPresent(EvalShard.self, forKey: .shard)
        host = try c.decodeIfPresent(String.self, forKey: .host)
        mergedFrom = try c.decodeIfPresent([EvalPart].self, forKey: .mergedFrom)
        missingShards = try c.decodeIfPresent([Int].self, forKey: .missingShards)
        shardFailures = try c.decodeIfPresent([EvalShardStatus].self, forKey: .shardFailures)
        tasks = try c.decode([EvalTaskResult].self, forKey: .tasks).sorted { $0.id < $1.id }
        // Totals are derived data: recompute them so they always agree with the tasks.
        totals = EvalTotals(tasks: tasks, k: `repeat`)
        groups = EvalGroupSummary.summaries(of: tasks, k: `repeat`)
    }
}
