/// The totals of one task group (a folder of the suite), for the report's table and chart.
public struct EvalGroupSummary: Sendable, Hashable, Codable {
    public var group: String
    public var totals: EvalTotals

    public init(group: String, totals: EvalTotals) {
        self.group = group
        self.totals = totals
    }

    /// One summary per group present in `tasks`, sorted by group name.
    public static func summaries(of tasks: [EvalTaskResult], k: Int) -> [EvalGroupSummary] {
        let byGroup = Dictionary(grouping: tasks, by: \.group)
        return byGroup.keys.sorted().map { EvalGroupSummary(group: $0, totals: EvalTotals(tasks: byGroup[$0] ?? [], k: k)) }
    }
}
