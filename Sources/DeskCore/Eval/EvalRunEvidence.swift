/// What eval saw of one `deskpilot run` child: how it exited, its result line, its trace, its stderr.
public struct EvalRunEvidence: Sendable, Hashable {
    /// The exit status (128 + n for signal n); nil when eval killed it after ``timeout`` or never started it.
    public var exitCode: Int32?
    /// True when eval killed the run because it ran past its time limit.
    public var timedOut: Bool
    /// The time limit, seconds (for the message).
    public var timeout: Double
    /// `status` of the run's final JSON line: the run's ending (`finished`, `check_failed`, …).
    public var ending: String?
    /// `reason` of the final line.
    public var reason: String?
    /// `steps` of the final line.
    public var steps: Int?
    /// The run's trace, when it wrote one (also for a killed run: steps and checks so far).
    public var summary: TraceSummary?
    /// The end of the run's stderr, for runs that died before their result line.
    public var stderrTail: String
    /// The names of the task's checks (reported as not run when the run ended before them).
    public var taskChecks: [String]

    public init(exitCode: Int32?, timedOut: Bool = false, timeout: Double = 0, ending: String? = nil, reason: String? = nil,
                steps: Int? = nil, summary: TraceSummary? = nil, stderrTail: String = "", taskChecks: [String] = []) {
        self.exitCode = exitCode
        self.timedOut = timedOut
        self.timeout = timeout
        self.ending = ending
        self.reason = reason
        self.steps = steps
        self.summary = summary
        self.stderrTail = stderrTail
        self.taskChecks = taskChecks
    }
}
