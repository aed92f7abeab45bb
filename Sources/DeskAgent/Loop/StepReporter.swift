import DeskCore

/// Receives the live output of a run: one outcome per step and a few messages (the CLI prints them as
/// lines or JSON, or not at all with `-q`).
public protocol StepReporter: AnyObject, Sendable {
    func step(_ outcome: StepOutcome)
    /// A line that is not a step: a setup command started, a check result, the final verdict.
    func message(_ text: String)
}

/// A reporter that prints nothing.
public final class SilentReporter: StepReporter {
    public init() {}
    public func step(_ outcome: StepOutcome) {}
    public func message(_ text: String) {}
}
