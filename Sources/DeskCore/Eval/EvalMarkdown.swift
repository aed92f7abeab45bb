import Foundation

/// `results.md`: the report people read — totals, a table and chart by group, and one row per task.
public enum EvalMarkdown {
    /// The report for `results`; `chart` is the SVG's file name next to it.
    public static func render(_ results: EvalResults, chart: String = EvalChart.fileName) -> String {
        var out: [String] = []
        let t = results.totals
        out.append("# deskpilot eval: \(escape(results.suite))")
        out.append("")
        var facts = ["\(results.mode.rawValue)"]
        if let m = results.model {
            facts.append("model " + [m.model, m.dialect.map { "dialect \($0)" }, m.endpoint.map { "at \($0)" }]
                .compactMap { $0 }.joined(separator: ", "))
        }
        facts.append("\(t.tasks) task\(t.tasks == 1 ? "" : "s") × \(results.repeat) attempt\(results.repeat == 1 ? "" : "s")")
        facts.append("parallel \(results.parallel)")
        if let shard = results.shard, !shard.isWhole { facts.append("shard \(shard)") }
        if let parts = results.mergedFrom { facts.append("merged from \(parts.count) result folder\(parts.count == 1 ? "" : "s")") }
        facts.append("deskpilot \(results.deskpilotVersion)")
        facts.append("started \(TraceCoding.formatTime(results.started))")
        facts.append("wall time \(DurationWords.format(results.wallS))")
        out.append(facts.map(escape).joined(separator: " · "))
        out.append("")
        if let missing = results.missingShards, !missing.isEmpty {
            let count = results.mergedFrom?.compactMap(\.shard).first?.count ?? 0
            out.append("**Partial:** shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) missing from the merge — an infrastructure failure, not a task result; re-run only the missing shards (docs/eval.md, \"On a cluster\").")
            out.append("")
            for failure in results.shardFailures ?? [] {
                out.append("- shard \(failure.shard) \(failure.state.rawValue.replacingOccurrences(of: "_", with: " "))\(failure.path.map { " (`\(escape($0))`)" } ?? ""): \(escape(failure.detail ?? ""))")
            }
            if !(results.shardFailures ?? []).isEmpty { out.append("") }
        }
        let k = results.repeat
        out.append("| tasks | passed | flaky | not passed | success rate | pass@1 |\(k > 1 ? " pass@\(k) | pass^\(k) |" : "") median steps | median time |")
        out.append("| ---: | ---: | ---: | ---: | ---: | ---: |\(k > 1 ? " ---: | ---: |" : "") ---: | ---: |")
        var row = "| \(t.tasks) | \(t.passedTasks) | \(t.flakyTasks) | \(t.failedTasks) | \(percent(t.successRate)) | \(percent(t.passAt1)) |"
        if k > 1 { row += " \(percent(t.passAtK)) | \(percent(t.passAllK)) |" }
        row += " \(number(t.medianSteps)) | \(t.medianDurationS.map(DurationWords.format) ?? "–") |"
        out.append(row)
        out.append("")
        let statuses = EvalRunStatus.allCases.compactMap { s -> String? in
            let n = t.runStatuses[s.rawValue] ?? 0
            return n > 0 ? "\(n) \(s.rawValue)" : nil
        }
        out.append("Attempts: \(t.runs) (\(statuses.isEmpty ? "none" : statuses.joined(separator: ", "))); summed time \(DurationWords.format(t.totalDurationS)).")
        out.append("")

        out.append("## By group")
        out.append("")
        out.append("![Success rate by group](\(chart))")
        out.append("")
        out.append("| group | tasks | passed | flaky | success rate |\(k > 1 ? " pass@\(k) |" : "") median steps | median time |")
        out.append("| --- | ---: | ---: | ---: | ---: |\(k > 1 ? " ---: |" : "") ---: | ---: |")
        for g in results.groups {
            let gt = g.totals
            var line = "| \(escape(g.group)) | \(gt.tasks) | \(gt.passedTasks) | \(gt.flakyTasks) | \(percent(gt.successRate)) |"
            if k > 1 { line += " \(percent(gt.passAtK)) |" }
            line += " \(number(gt.medianSteps)) | \(gt.medianDurationS.map(DurationWords.format) ?? "–") |"
            out.append(line)
        }
        out.append("")

        out.append("## Tasks")
        out.append("")
        out.append("| task | status | attempts passed | steps | time | checks passed | why not passed | trace |")
        out.append("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
        for task in results.tasks {
            let checks = task.runs.last?.checks ?? []
            let passedChecks = checks.filter { $0.outcome == .passed }.count
            let why = task.runs.first { !$0.status.isPass }?.error ?? ""
            let trace = task.runs.last?.trace.map { "[trace](\($0.replacingOccurrences(of: " ", with: "%20")))" } ?? "–"
            out.append("| \(escape(task.id)) | \(task.status.rawValue) | \(task.passedRuns)/\(task.runs.count) | \(number(task.medianSteps)) | \(task.medianDurationS.map(DurationWords.format) ?? "–") | \(passedChecks)/\(checks.count) | \(escape(oneLine(why))) | \(trace) |")
        }
        if let parts = results.mergedFrom, !parts.isEmpty {
            out.append("")
            out.append("## Shards")
            out.append("")
            out.append("| results | shard | host | tasks | wall time |")
            out.append("| --- | --- | --- | ---: | ---: |")
            for p in parts {
                out.append("| \(escape(p.path)) | \(p.shard.map(\.description) ?? "–") | \(escape(p.host ?? "–")) | \(p.tasks) | \(DurationWords.format(p.wallS)) |")
            }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// `87.5%`.
    public static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }

    static func number(_ value: Double?) -> String {
        guard let value else { return "–" }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }

    /// A table cell: pipes escaped, newlines flattened.
    static func escape(_ text: String) -> String {
        oneLine(text).replacingOccurrences(of: "|", with: "\\|")
    }
}
