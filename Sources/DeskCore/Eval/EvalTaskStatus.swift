/// How a task did over all its attempts.
public enum EvalTaskStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every attempt passed.
    case passed
    /// Some attempts passed and some did not (only with `--repeat`).
    case flaky
    case failed
    case setupFailed = "setup_failed"
    case error
    case timeout
    case crashed

    /// The status of a task whose attempts ended with `runs`: passed when all passed, flaky when some did,
    /// else the status of the first attempt.
    public init(runs: [EvalRunStatus]) {
        let passes = runs.filter(\.isPass).count
        if !runs.isEmpty && passes == runs.count {
            self = .passed
        } else if passes > 0 {
            self = .flaky
        } else {
            self = Self(run: runs.first ?? .error)
        }
    }

    /// The same word for one attempt's status.
    public init(run: EvalRunStatus) {
        switch run {
        case .passed: self = .passed
        case .failed: self = .failed
        case .setupFailed: self = .setupFailed
        case .error: self = .error
        case .timeout: self = .timeout
        case .crashed: self = .crashed
        }
    }
}
