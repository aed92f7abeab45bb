import Foundation

/// A job as `GET /jobs` and `GET /jobs/{id}` show it.
public struct JobSnapshot: Sendable, Hashable, Codable {
    public var id: String
    /// `task` or `goal`.
    public var kind: String
    /// The goal, or the task's name.
    public var title: String
    public var state: JobState
    /// Steps done so far.
    public var steps: Int
    /// The display the job runs (or ran) on; nil while queued.
    public var display: String?
    /// The run folder of its trace, once it started.
    public var traceDir: String?
    /// The question waiting for an answer (states awaiting_confirmation and awaiting_user).
    public var question: String?
    /// Why it ended (or why it waits).
    public var reason: String?
    /// The CLI exit code of the run, once it ended (0 success, 1 failure, 4 policy, 5 call_user, 130 stopped).
    public var exitCode: Int32?
    /// 1-based place in the queue while queued.
    public var queuePosition: Int?
    public var createdAt: Date
    public var startedAt: Date?
    public var endedAt: Date?

    public init(id: String, kind: String, title: String, state: JobState, steps: Int, display: String?,
                traceDir: String?, question: String?, reason: String?, exitCode: Int32?, queuePosition: Int?,
                createdAt: Date, startedAt: Date?, endedAt: Date?) {
        self.id = id
        self.kind = kind
        self.title = title
        self.state = state
        self.steps = steps
        self.display = display
        self.traceDir = traceDir
        self.question = question
        self.reason = reason
        self.exitCode = exitCode
        self.queuePosition = queuePosition
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, title, state, steps, display, question, reason
        case traceDir = "trace_dir", exitCode = "exit_code", queuePosition = "queue_position"
        case createdAt = "created_at", startedAt = "started_at", endedAt = "ended_at"
    }

    /// One line for `deskpilot status`.
    public var line: String {
        var parts = ["\(id)", state.rawValue, "\(kind) \"\(title.count > 50 ? title.prefix(47) + "…" : Substring(title))\"",
                     "\(steps) step\(steps == 1 ? "" : "s")"]
        if let display { parts.append("on \(display)") }
        if let queuePosition { parts.append("#\(queuePosition) in queue") }
        if let exitCode { parts.append("exit \(exitCode)") }
        var line = parts.joined(separator: "  ")
        if let question { line += "\n    question: \(question)" }
        if let reason, question == nil { line += "\n    \(reason)" }
        if let traceDir { line += "\n    trace: \(traceDir)" }
        return line
    }
}
