import Foundation

/// The progress line `eval` prints as each attempt ends: done/total, passed, elapsed, ETA, and what ended.
public struct EvalProgress: Sendable, Hashable {
    public var total: Int
    public private(set) var done = 0
    public private(set) var passed = 0
    public private(set) var notPassed = 0

    public init(total: Int) { self.total = total }

    /// Counts one finished attempt.
    public mutating func record(_ status: EvalRunStatus) {
        done += 1
        if status.isPass { passed += 1 } else { notPassed += 1 }
    }

    /// Seconds left, assuming the remaining attempts take as long on average as the finished ones; nil
    /// before the first one ends.
    public func eta(elapsed: Double) -> Double? {
        guard done > 0 else { return nil }
        return elapsed / Double(done) * Double(max(0, total - done))
    }

    /// `[ 3/25] passed   terminal/echo-to-file (4 steps, 2.1s) · 3 passed, 0 not · 0m 12s elapsed, ETA 1m 28s`.
    public func line(task: String, status: EvalRunStatus, steps: Int, durationS: Double, elapsed: Double,
                     error: String? = nil) -> String {
        let width = String(total).count
        let count = String(repeating: " ", count: max(0, width - String(done).count)) + "\(done)/\(total)"
        let word = status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
        var text = "[\(count)] \(word) \(task) (\(steps) step\(steps == 1 ? "" : "s"), \(DurationWords.format(durationS)))"
        text += " · \(passed) passed, \(notPassed) not · \(DurationWords.format(elapsed)) elapsed"
        if let eta = eta(elapsed: elapsed), done < total { text += ", ETA \(DurationWords.format(eta))" }
        if let error, !status.isPass { text += "\n        \(error)" }
        return text
    }
}
