/// One check of one attempt, as `results.json` reports it.
public struct EvalCheckOutcome: Sendable, Hashable, Codable {
    /// Whether the check held.
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        case passed
        /// Evaluated and false — including a check that could not be evaluated (an unreadable file, a
        /// command that would not start): that is never a pass.
        case failed
        /// The run ended before the checks (setup or a step failed, a timeout, a crash).
        case notRun = "not_run"
    }

    /// The check as the runner names it, with its `file:line:column`.
    public var name: String
    public var outcome: Outcome
    /// What was found instead, or a confirmation.
    public var detail: String?

    public init(name: String, outcome: Outcome, detail: String? = nil) {
        self.name = name
        self.outcome = outcome
        self.detail = detail
    }
}
