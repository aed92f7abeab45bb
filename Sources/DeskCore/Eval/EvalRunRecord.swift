import Foundation

/// One attempt at one task: how it ended, its checks, steps, time, and where its trace is.
public struct EvalRunRecord: Sendable, Hashable, Codable {
    /// 1-based; above 1 only with `--repeat`.
    public var attempt: Int
    public var status: EvalRunStatus
    /// The run's exact ending as `deskpilot run` reported it (`finished`, `check_failed`, `step_failed`, …),
    /// when it reported one.
    public var ending: String?
    /// The exit status of `deskpilot run` (128 + n for signal n); nil when eval killed it (timeout) or never
    /// started it (the task file did not load).
    public var exitCode: Int32?
    /// Why it did not pass, in one line (the failing check or step, the setup error, the timeout); nil when
    /// it passed.
    public var error: String?
    public var steps: Int
    /// Wall time of the attempt, Xvfb start and setup included, in seconds.
    public var durationS: Double
    public var checks: [EvalCheckOutcome]
    /// The run folder (`trace.jsonl`, `result.json`, `report.html`), relative to the results folder.
    public var trace: String?
    /// The captured output of `deskpilot run` (its JSON lines and stderr), relative to the results folder.
    public var log: String?
    public var started: Date?

    public init(attempt: Int, status: EvalRunStatus, ending: String? = nil, exitCode: Int32? = nil, error: String? = nil,
                steps: Int = 0, durationS: Double = 0, checks: [EvalCheckOutcome] = [], trace: String? = nil,
                log: String? = nil, started: Date? = nil) {
        self.attempt = attempt
        self.status = status
        self.ending = ending
        self.exitCode = exitCode
        self.error = error
        self.steps = steps
        self.durationS = durationS
        self.checks = checks
        self.trace = trace
        self.log = log
        self.started = started
    }

    enum CodingKeys: String, CodingKey {
        case attempt, status, ending, exitCode = "exit_code", error, steps, durationS = "duration_s", checks, trace
        case log, started
    }
}
