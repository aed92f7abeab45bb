/// Totals over a set of tasks: counts by status, success rates, pass@k, flakiness, medians.
public struct EvalTotals: Sendable, Hashable, Codable {
    public var tasks: Int
    public var runs: Int
    /// Tasks whose every attempt passed.
    public var passedTasks: Int
    /// Tasks with some passing and some failing attempts.
    public var flakyTasks: Int
    /// Tasks with no passing attempt.
    public var failedTasks: Int
    public var passedRuns: Int
    /// Attempts by ``EvalRunStatus`` (every status present, zeros included).
    public var runStatuses: [String: Int]
    /// Passed attempts over attempts.
    public var successRate: Double
    /// The attempts per task asked for (`--repeat`); pass@k below uses this k.
    public var k: Int
    /// The mean over tasks of the unbiased pass@1 estimate.
    public var passAt1: Double
    /// The mean over tasks of the unbiased pass@k estimate (k = ``k``): at least one of k attempts passes.
    public var passAtK: Double
    /// Tasks whose k attempts all passed, over tasks (pass^k: how reliably a task passes).
    public var passAllK: Double
    /// Flaky tasks over tasks.
    public var flakyRate: Double
    public var medianSteps: Double?
    public var medianDurationS: Double?
    /// The sum of the attempts' wall times (more than the suite's wall time when tasks ran in parallel).
    public var totalDurationS: Double

    /// Totals over `tasks`, each meant to have `k` attempts.
    public init(tasks list: [EvalTaskResult], k: Int) {
        let runs = list.flatMap(\.runs)
        tasks = list.count
        self.runs = runs.count
        passedTasks = list.filter { $0.status == .passed }.count
        flakyTasks = list.filter { $0.status == .flaky }.count
        failedTasks = list.count - passedTasks - flakyTasks
        passedRuns = runs.filter(\.status.isPass).count
        var statuses: [String: Int] = [:]
        for s in EvalRunStatus.allCases { statuses[s.rawValue] = 0 }
        for r in runs { statuses[r.status.rawValue, default: 0] += 1 }
        runStatuses = statuses
        successRate = EvalStatistics.rate(passedRuns, runs.count)
        self.k = max(1, k)
        let kk = self.k
        func mean(_ f: (EvalTaskResult) -> Double) -> Double {
            list.isEmpty ? 0 : list.map(f).reduce(0, +) / Double(list.count)
        }
        passAt1 = mean { EvalStatistics.passAtK(n: $0.runs.count, c: $0.passedRuns, k: 1) ?? 0 }
        // A task with fewer attempts than k (a merge of runs with different --repeat) counts with what it has.
        passAtK = mean { EvalStatistics.passAtK(n: $0.runs.count, c: $0.passedRuns, k: min(kk, max(1, $0.runs.count))) ?? 0 }
        passAllK = EvalStatistics.rate(passedTasks, list.count)
        flakyRate = EvalStatistics.rate(flakyTasks, list.count)
        medianSteps = EvalStatistics.median(runs.map { Double($0.steps) })
        medianDurationS = EvalStatistics.median(runs.map(\.durationS))
        totalDurationS = runs.map(\.durationS).reduce(0, +)
    }

    enum CodingKeys: String, CodingKey {
        case tasks, runs, passedTasks = "passed_tasks", flakyTasks = "flaky_tasks", failedTasks = "failed_tasks"
        case passedRuns = "passed_runs", runStatuses = "run_statuses", successRate = "success_rate", k
        case passAt1 = "pass_at_1", passAtK = "pass_at_k", passAllK = "pass_all_k", flakyRate = "flaky_rate"
        case medianSteps = "median_steps", medianDurationS = "median_duration_s", totalDurationS = "total_duration_s"
    }
}
