/// One task of a suite with every attempt at it.
public struct EvalTaskResult: Sendable, Hashable, Codable {
    /// The task file's path relative to the suite folder, without `.yaml`: `terminal/echo-to-file`. Unique in a
    /// suite; what sharding sorts on.
    public var id: String
    /// The first folder of the id (`terminal`), or `ungrouped` for a file at the top of the suite.
    public var group: String
    /// The task's `name:`.
    public var name: String
    /// The task file, relative to the suite folder.
    public var file: String
    public var goal: String?
    public var status: EvalTaskStatus
    public var runs: [EvalRunRecord]

    public init(id: String, group: String, name: String, file: String, goal: String? = nil, runs: [EvalRunRecord]) {
        self.id = id
        self.group = group
        self.name = name
        self.file = file
        self.goal = goal
        self.runs = runs.sorted { $0.attempt < $1.attempt }
        status = EvalTaskStatus(runs: self.runs.map(\.status))
    }

    /// Attempts that passed.
    public var passedRuns: Int { runs.filter { $0.status.isPass }.count }

    /// The median steps over the attempts.
    public var medianSteps: Double? { EvalStatistics.median(runs.map { Double($0.steps) }) }

    /// The median wall time over the attempts, seconds.
    public var medianDurationS: Double? { EvalStatistics.median(runs.map(\.durationS)) }

    /// The group of a task id: its first folder.
    public static func group(ofID id: String) -> String {
        let parts = id.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : ungrouped
    }

    /// The group of tasks at the top of the suite folder.
    public static let ungrouped = "ungrouped"

    enum CodingKeys: String, CodingKey {
        case id, group, name, file, goal, status, runs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        group = try c.decode(String.self, forKey: .group)
        name = try c.decode(String.self, forKey: .name)
        file = try c.decode(String.self, forKey: .file)
        goal = try c.decodeIfPresent(String.self, forKey: .goal)
        runs = try c.decode([EvalRunRecord].self, forKey: .runs).sorted { $0.attempt < $1.attempt }
        // Recomputed rather than trusted, so an edited file cannot disagree with its own runs.
        status = EvalTaskStatus(runs: runs.map(\.status))
    }
}
