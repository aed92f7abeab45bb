import Foundation

/// What `deskpilot trace show` prints: a run's header, steps, checks, how it ended and totals.
///
/// Pure: built from decoded events, so it also describes a run that was killed (no `run_end`:
/// ``interrupted`` is true and the status reads `interrupted`).
public struct TraceSummary: Sendable, Hashable, Codable {
    public var start: RunStartEvent?
    public var steps: [StepEvent]
    public var checks: [CheckEvent]
    public var end: RunEndEvent?
    /// True when the trace has no `run_end` event: the run was killed, crashed, or is still running.
    public var interrupted: Bool
    /// An unfinished last line that was ignored (1-based).
    public var truncatedLine: Int?
    public var invalidLines: [TraceLog.InvalidLine]
    /// Events of types this build does not know (kept in the file, counted here).
    public var otherEvents: Int
    public var totals: TraceTotals

    public init(log: TraceLog) {
        var start: RunStartEvent?
        var steps: [StepEvent] = []
        var checks: [CheckEvent] = []
        var end: RunEndEvent?
        var other = 0
        for event in log.events {
            switch event {
            case .runStart(let e): if start == nil { start = e }
            case .step(let e): steps.append(e)
            case .check(let e): checks.append(e)
            case .runEnd(let e): end = e
            case .other: other += 1
            }
        }
        self.start = start
        self.steps = steps
        self.checks = checks
        self.end = end
        interrupted = end == nil
        truncatedLine = log.truncatedLine
        invalidLines = log.invalidLines
        otherEvents = other
        totals = TraceTotals(steps: steps)
    }

    public init(events: [TraceEvent]) {
        self.init(log: TraceLog(events: events))
    }

    /// `succeeded`, `failed`, … from `run_end`, or `interrupted` when there is none.
    public var status: String { end?.status.rawValue ?? "interrupted" }

    /// Seconds from `run_start` to `run_end`, or to the last step of an interrupted run.
    public var durationS: Double? {
        if let end { return end.durationS }
        guard let start, let last = steps.last else { return nil }
        return last.time.timeIntervalSince(start.time)
    }

    /// Prompt tokens from `run_end` when present (it may count retries the steps do not), else summed.
    public var promptTokens: Int { end?.promptTokens ?? totals.promptTokens }
    public var completionTokens: Int { end?.completionTokens ?? totals.completionTokens }

    enum CodingKeys: String, CodingKey {
        case start = "run_start", steps, checks, end = "run_end", interrupted, truncatedLine = "truncated_line"
        case invalidLines = "invalid_lines", otherEvents = "other_events", totals
    }

    /// The text `trace show` prints.
    public func renderText() -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 10, withPad: " ", startingAt: 0) + " " + value)
        }
        if let s = start {
            row("run", "\(s.runID) (\(s.kind.rawValue)\(s.dryRun ? ", dry run" : ""))")
            if let goal = s.goal { row("goal", TraceText.oneLine(goal, limit: 300)) }
            if let task = s.task { row("task", task) }
            var model: [String] = []
            if let m = s.model { model.append(m) }
            if let d = s.dialect { model.append("dialect \(d)") }
            if let e = s.endpoint { model.append("at \(e)") }
            if !model.isEmpty { row("model", model.joined(separator: ", ")) }
            row("screen", "\(s.screen)\(s.display.map { " on \($0)" } ?? ""), policy \(s.policy)")
            row("started", TraceCoding.formatTime(s.time))
        } else {
            row("run", "(no run_start event)")
        }
        if let e = end {
            var text = "\(e.status.rawValue) (exit \(e.exitCode))"
            if let r = e.reason { text += ": " + TraceText.oneLine(r, limit: 300) }
            row("status", text)
        } else {
            let last = steps.last.map { ", last step \($0.step)" } ?? ", no step recorded"
            row("status", "interrupted: no run_end event (the run was killed, crashed or is still running)\(last)")
        }
        let t = totals
        var counts = "\(t.steps) steps, \(t.actions) actions (\(t.executed) executed"
        if t.denied > 0 { counts += ", \(t.denied) denied" }
        counts += ")"
        if t.parseErrors > 0 { counts += ", \(t.parseErrors) parse errors" }
        if t.errors > 0 { counts += ", \(t.errors) errors" }
        row("steps", counts)
        if promptTokens > 0 || completionTokens > 0 {
            row("tokens", "\(promptTokens) prompt, \(completionTokens) completion")
        }
        if let d = durationS { row("duration", TraceText.duration(ms: d * 1000)) }
        let stages = t.timings.named
        if !stages.isEmpty {
            row("time", stages.map { "\($0.name) \(TraceText.duration(ms: $0.ms))" }.joined(separator: ", "))
        }
        for step in steps {
            lines.append("")
            var head = "step \(step.step)"
            if let s = start { head += "  +\(TraceText.duration(ms: step.time.timeIntervalSince(s.time) * 1000))" }
            if let ms = step.timings.modelMs ?? step.request?.modelMs { head += "  model \(TraceText.duration(ms: ms))" }
            if let f = step.frame { head += "  \(f)" }
            lines.append(head)
            if let source = step.source { lines.append("  step:    " + TraceText.oneLine(source)) }
            if let thought = step.thought { lines.append("  thought: " + TraceText.oneLine(thought)) }
            if let p = step.parseError { lines.append("  parse error: " + TraceText.oneLine(p)) }
            for a in step.actions {
                var line = "  - " + TraceText.oneLine(a.description, limit: 120)
                if let d = a.decision {
                    line += "  [\(d.verdict)"
                    if let rule = d.rule { line += " by \(rule)" }
                    if let reason = d.reason { line += ": \(TraceText.oneLine(reason, limit: 80))" }
                    line += "]"
                }
                line += a.executed ? "  executed" : "  not executed"
                if let e = a.error { line += "  error: " + TraceText.oneLine(e, limit: 120) }
                lines.append(line)
            }
            if let note = step.note { lines.append("  note: " + TraceText.oneLine(note)) }
            if let e = step.error { lines.append("  error: " + TraceText.oneLine(e)) }
        }
        if !checks.isEmpty {
            lines.append("")
            lines.append("checks")
            for c in checks {
                lines.append("  \(c.passed ? "pass" : "FAIL") \(TraceText.oneLine(c.name, limit: 80))"
                             + (c.detail.map { ": " + TraceText.oneLine($0, limit: 160) } ?? ""))
            }
        }
        var warnings: [String] = []
        if let n = truncatedLine { warnings.append("line \(n) is incomplete (the write was cut short) and was ignored") }
        for bad in invalidLines { warnings.append("line \(bad.line) is not a valid event: \(bad.error)") }
        if otherEvents > 0 { warnings.append("\(otherEvents) events of unknown types were skipped") }
        if !warnings.isEmpty {
            lines.append("")
            lines += warnings.map { "warning: " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
