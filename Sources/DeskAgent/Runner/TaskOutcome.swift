import DeskCore

/// How a scripted task ended: its ending, the checks, and what the agent sub-goals spent.
public struct TaskOutcome: Sendable, Hashable {
    public var ending: RunEnding
    /// One line: the failing check or step, or a summary of success.
    public var reason: String
    public var steps: Int
    public var checks: [CheckResult]
    public var promptTokens: Int
    public var completionTokens: Int

    public init(ending: RunEnding, reason: String, steps: Int, checks: [CheckResult] = [], promptTokens: Int = 0,
                completionTokens: Int = 0) {
        self.ending = ending
        self.reason = reason
        self.steps = steps
        self.checks = checks
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
