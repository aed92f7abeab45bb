/// Exactly how a run ended; the trace's coarser ``RunStatus`` and the exit status follow from it.
public enum RunEnding: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The model said `finished`, or every scripted step ran and every check passed.
    case finished
    /// A check after the steps failed.
    case checkFailed = "check_failed"
    /// The model asked for a person and nobody answered.
    case callUser = "call_user"
    /// The model said the goal cannot be done.
    case infeasible
    case maxSteps = "max_steps"
    case maxDuration = "max_duration"
    case tokenBudget = "token_budget"
    /// The same action changed nothing too many times in a row.
    case noProgress = "no_progress"
    /// The model's answers could not be parsed, retries included.
    case parseFailure = "parse_failure"
    /// A scripted step failed (a target not found, a window that never appeared, a denied action).
    case stepFailed = "step_failed"
    /// The policy stopped the run (`on_violation: abort`).
    case policyAbort = "policy_abort"
    /// SIGINT, SIGTERM, the kill hotkey or `deskpilot stop`.
    case stopped
    /// The environment failed (display gone, model server unreachable).
    case environmentError = "environment_error"
    /// Bad input discovered while running (a model point off the screen, a bad key name).
    case inputError = "input_error"

    /// The process exit status of the CLI contract for this ending.
    public var exitStatus: ExitStatus {
        switch self {
        case .finished: .success
        case .checkFailed, .infeasible, .maxSteps, .maxDuration, .tokenBudget, .noProgress, .parseFailure, .stepFailed:
            .failure
        case .callUser: .needsUser
        case .policyAbort: .policy
        case .stopped: .stopped
        case .environmentError: .environment
        case .inputError: .usage
        }
    }

    /// The trace's status for this ending (`run_end.status`, `result.json`).
    public var runStatus: RunStatus {
        switch self {
        case .finished: .succeeded
        case .checkFailed, .infeasible, .maxSteps, .maxDuration, .tokenBudget, .noProgress, .parseFailure, .stepFailed:
            .failed
        case .callUser: .needsUser
        case .policyAbort: .policyAbort
        case .stopped: .stopped
        case .environmentError, .inputError: .error
        }
    }

    public var description: String { rawValue }

    /// The ending for an error that ended a run, from its exit status.
    public static func forError(_ error: any Error) -> RunEnding {
        guard let desk = error as? any DeskError else { return .environmentError }
        switch desk.exitStatus {
        case .success, .failure: return .stepFailed
        case .usage: return .inputError
        case .environment: return .environmentError
        case .policy: return .policyAbort
        case .needsUser: return .callUser
        case .stopped: return .stopped
        }
    }
}
