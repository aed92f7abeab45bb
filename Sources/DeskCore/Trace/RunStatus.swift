/// How a run ended, as `run_end` and `result.json` spell it.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case succeeded
    case failed
    case stopped
    case policyAbort = "policy_abort"
    case needsUser = "needs_user"
    case error

    /// The exit status the CLI contract gives this outcome; `error` is an environment error by default.
    public var exitStatus: ExitStatus {
        switch self {
        case .succeeded: .success
        case .failed: .failure
        case .stopped: .stopped
        case .policyAbort: .policy
        case .needsUser: .needsUser
        case .error: .environment
        }
    }
}
