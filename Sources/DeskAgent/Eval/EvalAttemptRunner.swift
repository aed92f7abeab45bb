import DeskCore

/// Runs one attempt at one task and says how it went. The executable runs each attempt as a child
/// `deskpilot run` on its own private Xvfb; tests substitute fakes.
///
/// Called from several threads at once (one per `--parallel` slot): implementations must not share a
/// display or other mutable state between calls.
public protocol EvalAttemptRunner: Sendable {
    /// Never throws: every failure — a task file that does not load, a crash, a timeout — is a record.
    func run(_ job: EvalJob) -> EvalRunRecord
    /// The task's name and goal for the report (from the task file); nil when it does not load.
    func describe(_ entry: EvalSuiteEntry) -> (name: String, goal: String?)?
}
