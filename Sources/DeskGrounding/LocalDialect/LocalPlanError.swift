import DeskCore

/// A `local`-dialect goal that cannot be understood: names the part that did not parse (exit status 2).
public struct LocalPlanError: DeskError, Equatable {
    /// The step text that did not parse, as written.
    public var part: String
    /// Its position in the goal (1-based).
    public var step: Int
    /// What was expected there.
    public var reason: String

    public init(part: String, step: Int, reason: String) {
        self.part = part
        self.step = step
        self.reason = reason
    }

    public var description: String { "cannot understand step \(step) of the goal, '\(part)': \(reason)" }
    public var exitStatus: ExitStatus { .usage }
}
