import DeskCore

/// One attempt to run: a task and its attempt number.
public struct EvalJob: Sendable, Hashable {
    public var entry: EvalSuiteEntry
    /// 1-based.
    public var attempt: Int
    /// Attempts per task in this run; above 1 the trace folder gets an `-r<attempt>` suffix.
    public var attempts: Int

    public init(entry: EvalSuiteEntry, attempt: Int, attempts: Int) {
        self.entry = entry
        self.attempt = attempt
        self.attempts = attempts
    }

    /// `traces/<id>` or `traces/<id>-r<k>`: the attempt's trace parent, relative to the results folder.
    public var traceParent: String {
        "traces/" + entry.id + (attempts > 1 ? "-r\(attempt)" : "")
    }

    /// `terminal/echo-to-file` or `terminal/echo-to-file#2`, for progress lines.
    public var label: String { attempts > 1 ? "\(entry.id)#\(attempt)" : entry.id }
}
