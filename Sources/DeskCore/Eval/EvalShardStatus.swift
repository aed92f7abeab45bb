import Foundation

/// One shard of a split suite as `eval --status` and `eval --merge` see it: what its folder says it did.
/// In merged results (`shard_failures`) it names a shard that is missing and why — an infrastructure
/// failure, never a task's.
public struct EvalShardStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every attempt ran; its results are in.
        case finished
        /// Its `deskpilot eval` is running (or, on another host, was when it last wrote `progress.json`).
        case running
        /// No folder, or nothing in it yet: the shard has not started (queued, or never will).
        case notStarted = "not_started"
        /// Stopped before every attempt ran (a scheduler's time limit, `scancel`, SIGTERM).
        case stopped
        /// Ended without results: killed, crashed, or its node was lost.
        case died

        /// True for the states a re-run of missing shards picks up: all but finished and running.
        public var isMissing: Bool { self != .finished && self != .running }
    }

    public var shard: EvalShard
    public var state: State
    /// The shard's folder, as given or found (relative to the merged folder in merged results).
    public var path: String?
    public var host: String?
    /// Attempts this shard makes (its tasks × `repeat`).
    public var total: Int
    public var done: Int
    public var passed: Int
    public var failed: Int
    public var started: Date?
    /// When the shard last reported (its `progress.json` or `results.json`).
    public var updated: Date?
    /// Estimated seconds left, for a running or not-started shard (nil when unknown).
    public var etaS: Double?
    /// One line: why the shard counts as missing, for people.
    public var detail: String?

    public init(shard: EvalShard, state: State, path: String? = nil, host: String? = nil, total: Int, done: Int = 0,
                passed: Int = 0, failed: Int = 0, started: Date? = nil, updated: Date? = nil, etaS: Double? = nil,
                detail: String? = nil) {
        self.shard = shard
        self.state = state
        self.path = path
        self.host = host
        self.total = total
        self.done = done
        self.passed = passed
        self.failed = failed
        self.started = started
        self.updated = updated
        self.etaS = etaS
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case shard, state, path, host, total, done, passed, failed, started, updated, etaS = "eta_s", detail
    }
}
