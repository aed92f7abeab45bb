/// How one attempt at one task ended, as `results.json` spells it.
public enum EvalRunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every check passed (exit 0).
    case passed
    /// A check or a step failed, or the agent gave up, hit a limit, was stopped by the policy or asked for a
    /// person (exit 1, 4 or 5).
    case failed
    /// A setup command failed, or a window the setup waits for never appeared: the task never started.
    case setupFailed = "setup_failed"
    /// The run could not be judged: a bad task file (exit 2), an environment failure such as a killed X
    /// server (exit 3), or the run was stopped (130).
    case error
    /// No result within the task's time limit; the run was killed.
    case timeout
    /// `deskpilot run` itself died (a signal) or ended without its result line.
    case crashed

    /// True only for ``passed``.
    public var isPass: Bool { self == .passed }
}
