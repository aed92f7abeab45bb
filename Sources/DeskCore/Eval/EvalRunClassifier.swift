import Foundation

/// Turns what eval saw of a `deskpilot run` child into a result: passed, failed, setup failed, error,
/// timeout or crashed, with the checks and one line saying why.
public enum EvalRunClassifier {
    /// The prefix `TaskRunner` gives the reason of a run whose setup failed.
    public static let setupPrefix = "setup:"

    /// The status, ending, error line, steps and checks for `evidence`; the caller adds attempt, time and paths.
    public static func classify(_ evidence: EvalRunEvidence, attempt: Int) -> EvalRunRecord {
        let e = evidence
        let status = status(of: e)
        let steps = e.steps ?? e.summary?.totals.steps ?? 0
        var checks = (e.summary?.checks ?? []).map {
            EvalCheckOutcome(name: $0.name, outcome: $0.passed ? .passed : .failed, detail: $0.detail)
        }
        if checks.isEmpty && status != .passed {
            checks = e.taskChecks.map { EvalCheckOutcome(name: $0, outcome: .notRun) }
        }
        return EvalRunRecord(attempt: attempt, status: status, ending: e.ending ?? e.summary?.end.map { ending(of: $0) },
                             exitCode: e.timedOut ? nil : e.exitCode, error: status == .passed ? nil : message(e, status),
                             steps: steps, checks: checks)
    }

    static func status(of e: EvalRunEvidence) -> EvalRunStatus {
        if e.timedOut { return .timeout }
        guard let code = e.exitCode else { return .error }
        let reason = e.reason ?? e.summary?.end?.reason ?? ""
        if code == 0 { return e.ending == nil && e.summary?.end == nil ? .crashed : .passed }
        if code >= 128 && code != ExitStatus.stopped.rawValue { return .crashed }
        if reason.hasPrefix(setupPrefix) && code != ExitStatus.stopped.rawValue { return .setupFailed }
        switch code {
        case ExitStatus.failure.rawValue, ExitStatus.policy.rawValue, ExitStatus.needsUser.rawValue:
            return .failed
        default:
            return .error
        }
    }

    /// The trace's status word when the final line is missing (a killed run that still wrote `run_end`).
    static func ending(of end: RunEndEvent) -> String { end.status.rawValue }

    static func message(_ e: EvalRunEvidence, _ status: EvalRunStatus) -> String {
        let reason = e.reason ?? e.summary?.end?.reason
        let tail = e.stderrTail.trimmingCharacters(in: .whitespacesAndNewlines)
        let lastStep = e.summary?.steps.last.map { "; last step \($0.step)" + ($0.source.map { ": \($0)" } ?? "") } ?? ""
        switch status {
        case .timeout:
            return "no result within \(DurationWords.format(e.timeout)); the run was killed\(lastStep)"
        case .crashed:
            let how: String
            if let code = e.exitCode, code >= 128 {
                how = "deskpilot run was killed by \(signalName(code - 128))"
            } else {
                how = "deskpilot run exited with \(e.exitCode.map(String.init) ?? "?") without its result line"
            }
            return how + lastStep + (tail.isEmpty ? "" : ": \(lastLine(tail))")
        default:
            if let reason, !reason.isEmpty { return reason }
            if !tail.isEmpty { return lastLine(tail) }
            return "deskpilot run exited with \(e.exitCode.map(String.init) ?? "?")"
        }
    }

    static func lastLine(_ text: String) -> String {
        let line = text.split(separator: "\n").last.map(String.init) ?? text
        return line.count > 400 ? String(line.prefix(400)) + "…" : line
    }

    /// `SIGKILL` for 9, `signal 42` for one without a common name.
    public static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
                                      7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE",
                                      14: "SIGALRM", 15: "SIGTERM"]
        return names[number] ?? "signal \(number)"
    }
}
