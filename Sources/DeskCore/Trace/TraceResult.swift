import Foundation

/// `result.json`: how a run ended, in one small object scripts can read without parsing the trace.
public struct TraceResult: Sendable, Hashable, Codable {
    /// One check's outcome.
    public struct Check: Sendable, Hashable, Codable {
        public var name: String
        public var passed: Bool
        public var detail: String?
    }

    public var runID: String?
    public var kind: RunKind?
    public var goal: String?
    public var task: String?
    public var model: String?
    public var dialect: String?
    /// `succeeded`, `failed`, `stopped`, `policy_abort`, `needs_user`, `error`, or `interrupted`.
    public var status: String
    public var exitCode: Int32?
    public var reason: String?
    public var interrupted: Bool
    public var steps: Int
    public var actions: Int
    public var executed: Int
    public var denied: Int
    public var durationS: Double?
    public var promptTokens: Int
    public var completionTokens: Int
    public var started: Date?
    public var ended: Date?
    public var checks: [Check]

    /// The result a summary describes.
    public init(summary s: TraceSummary) {
        runID = s.start?.runID
        kind = s.start?.kind
        goal = s.start?.goal
        task = s.start?.task
        model = s.start?.model
        dialect = s.start?.dialect
        status = s.status
        exitCode = s.end?.exitCode
        reason = s.end?.reason
        interrupted = s.interrupted
        steps = s.totals.steps
        actions = s.totals.actions
        executed = s.totals.executed
        denied = s.totals.denied
        durationS = s.durationS
        promptTokens = s.promptTokens
        completionTokens = s.completionTokens
        started = s.start?.time
        ended = s.end?.time
        checks = s.checks.map { Check(name: $0.name, passed: $0.passed, detail: $0.detail) }
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", kind, goal, task, model, dialect, status, exitCode = "exit_code", reason, interrupted
        case steps, actions, executed, denied, durationS = "duration_s", promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens", started, ended, checks
    }
}
