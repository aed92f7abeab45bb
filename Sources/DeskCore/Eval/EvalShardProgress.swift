import Foundation

/// `progress.json`: what one `deskpilot eval` run (one shard, or a whole suite) has done so far, rewritten
/// after every finished attempt so that `eval --status` and `eval --merge` can tell a shard that is still
/// running or that died (a killed job, a lost node) from one that finished.
public struct EvalShardProgress: Sendable, Hashable, Codable {
    /// Where the run is.
    public enum State: String, Sendable, Hashable, Codable {
        /// Attempts are running (or the process died without a word: see ``EvalShardStatus``).
        case running
        /// Every attempt ran; `results.json` is written.
        case finished
        /// Stopped (SIGINT/SIGTERM, e.g. a scheduler's time limit or `scancel`) before every attempt ran;
        /// `results.json` holds only the attempts that ran.
        case stopped
    }

    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var state: State
    /// The slice this run covers (`0/1` for a whole suite).
    public var shard: EvalShard
    /// The suite folder as given on the command line.
    public var suite: String
    /// Tasks in the whole suite (all shards): lets a reader size shards that have not started.
    public var suiteTasks: Int
    /// Attempts per task (`--repeat`).
    public var `repeat`: Int
    /// Attempts this run makes (its tasks × `repeat`).
    public var total: Int
    public var done: Int
    public var passed: Int
    /// Finished attempts that did not pass (any status but `passed`).
    public var failed: Int
    public var started: Date
    /// When this file was last written.
    public var updated: Date
    public var host: String?
    /// The `deskpilot eval` process, to tell on the same host whether it still lives.
    public var pid: Int32?

    public init(state: State = .running, shard: EvalShard, suite: String, suiteTasks: Int, repeat: Int, total: Int,
                done: Int = 0, passed: Int = 0, failed: Int = 0, started: Date, updated: Date, host: String?,
                pid: Int32?) {
        schemaVersion = Self.currentSchemaVersion
        self.state = state
        self.shard = shard
        self.suite = suite
        self.suiteTasks = suiteTasks
        self.repeat = `repeat`
        self.total = total
        self.done = done
        self.passed = passed
        self.failed = failed
        self.started = started
        self.updated = updated
        self.host = host
        self.pid = pid
    }

    /// Counts one finished attempt.
    public mutating func record(_ status: EvalRunStatus, at time: Date) {
        done += 1
        if status.isPass { passed += 1 } else { failed += 1 }
        updated = time
    }

    /// The number of tasks in shard `shard` of a suite of `suiteTasks` (round-robin: sizes differ by one).
    public static func tasks(inShard shard: EvalShard, suiteTasks: Int) -> Int {
        suiteTasks / shard.count + (shard.index < suiteTasks % shard.count ? 1 : 0)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", state, shard, suite, suiteTasks = "suite_tasks", `repeat`, total, done
        case passed, failed, started, updated, host, pid
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        guard schemaVersion <= Self.currentSchemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: c,
                debugDescription: "progress format \(schemaVersion) is newer than this deskpilot reads (\(Self.currentSchemaVersion))")
        }
        state = try c.decode(State.self, forKey: .state)
        shard = try c.decode(EvalShard.self, forKey: .shard)
        suite = try c.decode(String.self, forKey: .suite)
        suiteTasks = try c.decode(Int.self, forKey: .suiteTasks)
        `repeat` = try c.decode(Int.self, forKey: .repeat)
        total = try c.decode(Int.self, forKey: .total)
        done = try c.decode(Int.self, forKey: .done)
        passed = try c.decode(Int.self, forKey: .passed)
        failed = try c.decode(Int.self, forKey: .failed)
        started = try c.decode(Date.self, forKey: .started)
        updated = try c.decode(Date.self, forKey: .updated)
        host = try c.decodeIfPresent(String.self, forKey: .host)
        pid = try c.decodeIfPresent(Int32.self, forKey: .pid)
    }
}
