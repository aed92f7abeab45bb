import DeskCore
import DeskModels

/// The knobs of one agent run (the `deskpilot agent` flags).
public struct AgentConfiguration: Sendable, Hashable {
    /// Model steps at most (`--max-steps`, default 50).
    public var maxSteps: Int
    /// Seconds at most (`--max-duration`), counted from the run's start.
    public var maxDuration: Double?
    /// Total tokens (prompt + completion, from the answers' `usage`) at most (`--budget-tokens`).
    public var budgetTokens: Int?
    /// Which screenshots of the history to send; nil uses the dialect's published rule.
    public var historyRule: HistoryPlanner.Rule?
    /// Extra model calls per step when an answer does not parse.
    public var parseRetries: Int
    /// Identical actions without a screen change before the model is told.
    public var noProgressWarn: Int
    /// Identical actions without a screen change before the run stops.
    public var noProgressStop: Int
    /// The language the model is asked to think in.
    public var language: String

    public init(maxSteps: Int = 50, maxDuration: Double? = nil, budgetTokens: Int? = nil,
                historyRule: HistoryPlanner.Rule? = nil, parseRetries: Int = 2, noProgressWarn: Int = 3,
                noProgressStop: Int = 5, language: String = "English") {
        self.maxSteps = max(1, maxSteps)
        self.maxDuration = maxDuration
        self.budgetTokens = budgetTokens
        self.historyRule = historyRule
        self.parseRetries = max(0, parseRetries)
        self.noProgressWarn = noProgressWarn
        self.noProgressStop = noProgressStop
        self.language = language
    }

    /// How many past frames to keep in memory for the history (frames beyond are sent as text only).
    public func framesToKeep(dialect: Dialect) -> Int {
        switch historyRule ?? dialect.defaultHistoryRule {
        case .lastN(let n): return max(0, n - 1)
        case .tokenBudget(_, let maxImages): return max(0, min(maxImages ?? 10, 10) - 1)
        }
    }
}

/// How an agent run (or a sub-goal of a task) ended.
public struct AgentOutcome: Sendable, Hashable {
    public var ending: RunEnding
    /// One line: the model's final message, its question, the limit reached, the error.
    public var reason: String
    /// Steps used.
    public var steps: Int
    public var promptTokens: Int
    public var completionTokens: Int

    public init(ending: RunEnding, reason: String, steps: Int, promptTokens: Int, completionTokens: Int) {
        self.ending = ending
        self.reason = reason
        self.steps = steps
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}
