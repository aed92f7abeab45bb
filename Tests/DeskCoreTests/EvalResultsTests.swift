import DeskCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Results: task status over attempts, totals, pass@k, merging shards, the report and the chart.
struct EvalResultsTests {
    static func run(_ status: EvalRunStatus, attempt: Int = 1, steps: Int = 3, seconds: Double = 2) -> EvalRunRecord {
        EvalRunRecord(attempt: attempt, status: status, exitCode: status == .passed ? 0 : 1,
                      error: status == .passed ? nil : "\(status.rawValue) because", steps: steps, durationS: seconds,
                      checks: [EvalCheckOutcome(name: "file_exists /x", outcome: status == .passed ? .passed : .failed)],
                      trace: "traces/x/20250101-000000-abcd", log: "traces/x/run.jsonl")
    }

    static func task(_ id: String, _ statuses: [EvalRunStatus]) -> EvalTaskResult {
        EvalTaskResult(id: id, group: EvalTaskResult.group(ofID: id), name: id, file: id + ".yaml",
                       runs: statuses.enumerated().map { run($0.element, attempt: $0.offset + 1) })
    }

    static func results(_ tasks: [EvalTaskResult], repeat k: Int = 1, shard: EvalShard? = .whole) -> EvalResults {
        EvalResults(deskpilotVersion: "test", suite: "tasks/suite", mode: .scripted, model: nil,
                    started: Date(timeIntervalSince1970: 1_750_000_000), finished: Date(timeIntervalSince1970: 1_750_000_060),
                    wallS: 60, parallel: 2, repeat: k, shard: shard, host: "test-host", tasks: tasks)
    }

    @Test(arguments: [
        ([EvalRunStatus.passed], EvalTaskStatus.passed),
        ([.passed, .passed, .passed], .passed),
        ([.passed, .failed, .passed], .flaky),
        ([.timeout, .passed], .flaky),
        ([.failed], .failed),
        ([.setupFailed, .failed], .setupFailed),
        ([.crashed], .crashed),
        ([.timeout], .timeout),
        ([.error], .error),
        ([], .error),
    ])
    func taskStatusOverAttempts(runs: [EvalRunStatus], expected: EvalTaskStatus) {
        #expect(EvalTaskStatus(runs: runs) == expected)
    }

    @Test func groupIsTheFirstFolder() {
        #expect(EvalTaskResult.group(ofID: "terminal/echo") == "terminal")
        #expect(EvalTaskResult.group(ofID: "a/b/c") == "a")
        #expect(EvalTaskResult.group(ofID: "top-level") == EvalTaskResult.ungrouped)
    }

    @Test(arguments: [
        (3, 0, 1, 0.0), (3, 3, 1, 1.0), (3, 1, 1, 1.0 / 3), (3, 1, 3, 1.0), (4, 1, 2, 0.5), (10, 3, 5, 1 - 21.0 / 252),
    ])
    func passAtKIsTheUnbiasedEstimate(n: Int, c: Int, k: Int, expected: Double) throws {
        let value = try #require(EvalStatistics.passAtK(n: n, c: c, k: k))
        #expect(abs(value - expected) < 1e-9)
    }

    @Test func passAtKRejectsImpossibleArguments() {
        #expect(EvalStatistics.passAtK(n: 2, c: 1, k: 3) == nil)
        #expect(EvalStatistics.passAtK(n: 0, c: 0, k: 1) == nil)
        #expect(EvalStatistics.passAtK(n: 2, c: 3, k: 1) == nil)
    }

    @Test func medianOfEvenAndOddCounts() {
        #expect(EvalStatistics.median([3, 1, 2]) == 2)
        #expect(EvalStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(EvalStatistics.median([]) == nil)
    }

    @Test func totalsWithRepeats() {
        let r = Self.results([
            Self.task("a/always", [.passed, .passed, .passed]),
            Self.task("a/sometimes", [.passed, .failed, .failed]),
            Self.task("b/never", [.failed, .timeout, .crashed]),
            Self.task("b/setup", [.setupFailed, .setupFailed, .setupFailed]),
        ], repeat: 3)
        let t = r.totals
        #expect(t.tasks == 4)
        #expect(t.runs == 12)
        #expect(t.passedTasks == 1)
        #expect(t.flakyTasks == 1)
        #expect(t.failedTasks == 2)
        #expect(t.passedRuns == 4)
        #expect(abs(t.successRate - 4.0 / 12) < 1e-9)
        #expect(abs(t.passAt1 - (1 + 1.0 / 3) / 4) < 1e-9)
        #expect(abs(t.passAtK - 0.5) < 1e-9)          // two tasks passed at least once in 3
        #expect(abs(t.passAllK - 0.25) < 1e-9)        // one task passed all 3
        #expect(abs(t.flakyRate - 0.25) < 1e-9)
        #expect(t.runStatuses["setup_failed"] == 3)
        #expect(t.runStatuses["crashed"] == 1)
        #expect(t.runStatuses["error"] == 0)
        #expect(r.groups.map(\.group) == ["a", "b"])
        #expect(r.groups[0].totals.passedRuns == 4)
        #expect(r.groups[1].totals.passedRuns == 0)
        #expect(!r.allPassed)
    }

    @Test func allPassedNeedsEveryAttemptAndATask() {
        #expect(Self.results([Self.task("a/x", [.passed, .passed])], repeat: 2).allPassed)
        #expect(!Self.results([Self.task("a/x", [.passed, .failed])], repeat: 2).allPassed)
        #expect(!Self.results([]).allPassed)
    }

    @Test func jsonRoundTripRecomputesDerivedFields() throws {
        let r = Self.results([Self.task("a/x", [.passed]), Self.task("b/y", [.failed])])
        let encoder = TraceCoding.encoder()
        let data = try encoder.encode(r)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // A hand-edited file cannot make its totals disagree with its tasks.
        object["totals"] = ["tasks": 99]
        let edited = try JSONSerialization.data(withJSONObject: object)
        let back = try TraceCoding.decoder().decode(EvalResults.self, from: edited)
        #expect(back.totals == r.totals)
        #expect(back.tasks == r.tasks)
        #expect(back.started == r.started)
    }

    @Test func newerSchemaIsRefused() throws {
        let r = Self.results([Self.task("a/x", [.passed])])
        var object = try #require(try JSONSerialization.jsonObject(with: TraceCoding.encoder().encode(r)) as? [String: Any])
        object["schema_version"] = EvalResults.currentSchemaVersion + 1
        let data = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try TraceCoding.decoder().decode(EvalResults.self, from: data) }
    }

    // MARK: - Merge

    static let suite: [EvalTaskResult] = [
        task("calc/a", [.passed]), task("calc/b", [.failed]), task("forms/a", [.passed]), task("forms/b", [.setupFailed]),
        task("term/a", [.passed]), task("term/b", [.timeout]), task("term/c", [.crashed]),
    ]

    @Test(arguments: [1, 2, 3, 7])
    func mergeOfAllShardsEqualsTheUnshardedRun(count: Int) throws {
        let whole = Self.results(Self.suite)
        let inputs = try (0..<count).map { i in
            let shard = try EvalShard(index: i, count: count)
            let part = Self.results(shard.select(Self.suite, id: \.id), shard: shard)
            return EvalMerger.Input(results: part, pathPrefix: "", label: "shard-\(i)")
        }
        let merged = try EvalMerger.merge(inputs.reversed(), deskpilotVersion: "test")
        #expect(merged.tasks == whole.tasks)
        #expect(merged.totals == whole.totals)
        #expect(merged.groups == whole.groups)
        #expect(merged.missingShards == nil)
        #expect(merged.shard == nil)
        #expect(merged.mergedFrom?.count == count)
    }

    @Test func mergeRebasesPathsAndReportsMissingShards() throws {
        let shard = try EvalShard(index: 1, count: 3)
        let part = Self.results(shard.select(Self.suite, id: \.id), shard: shard)
        let merged = try EvalMerger.merge([EvalMerger.Input(results: part, pathPrefix: "../shard-1", label: "s1")],
                                          deskpilotVersion: "test")
        #expect(merged.missingShards == [0, 2])
        #expect(merged.tasks.allSatisfy { $0.runs.allSatisfy { $0.trace?.hasPrefix("../shard-1/traces/") == true } })
        #expect(EvalMarkdown.render(merged).contains("Partial"))
    }

    @Test func mergeRefusesOverlapAndMismatches() throws {
        let a = Self.results([Self.task("a/x", [.passed])])
        #expect(throws: InputError.self) {
            try EvalMerger.merge([.init(results: a, pathPrefix: "", label: "one"), .init(results: a, pathPrefix: "", label: "two")],
                                 deskpilotVersion: "test")
        }
        var agent = Self.results([Self.task("a/y", [.passed])])
        agent.mode = .agent
        #expect(throws: InputError.self) {
            try EvalMerger.merge([.init(results: a, pathPrefix: "", label: "one"), .init(results: agent, pathPrefix: "", label: "two")],
                                 deskpilotVersion: "test")
        }
        let repeated = Self.results([Self.task("a/z", [.passed, .passed])], repeat: 2)
        #expect(throws: InputError.self) {
            try EvalMerger.merge([.init(results: a, pathPrefix: "", label: "one"), .init(results: repeated, pathPrefix: "", label: "two")],
                                 deskpilotVersion: "test")
        }
        #expect(throws: InputError.self) { try EvalMerger.merge([], deskpilotVersion: "test") }
    }

    // MARK: - Report

    @Test func markdownHasTotalsGroupsAndEveryTask() {
        let r = Self.results(Self.suite)
        let md = EvalMarkdown.render(r)
        #expect(md.contains("| 7 | 3 | 0 | 4 | 42.9% |"))
        #expect(md.contains("![Success rate by group](success-by-group.svg)"))
        for task in Self.suite { #expect(md.contains("| \(task.id) | \(task.status.rawValue) |")) }
        #expect(md.contains("| calc | 2 | 1 | 0 | 50.0% |"))
        #expect(md.contains("[trace](traces/x/20250101-000000-abcd)"))
    }

    @Test func markdownEscapesTableCells() {
        var t = Self.task("a/pipe", [.failed])
        t.runs[0].error = "expected a|b\nbut got c"
        let md = EvalMarkdown.render(Self.results([t]))
        #expect(md.contains("expected a\\|b but got c"))
    }

    @Test func repeatedRunsShowPassAtK() {
        let md = EvalMarkdown.render(Self.results([Self.task("a/x", [.passed, .failed, .passed])], repeat: 3))
        #expect(md.contains("pass@3"))
        #expect(md.contains("pass^3"))
        #expect(md.contains("| a/x | flaky | 2/3 |"))
    }

    @Test func chartHasOneBarPerGroupAndIsWellFormedXML() throws {
        var tasks = Self.suite
        tasks.append(Self.task("<odd> & \"group\"/t", [.passed]))
        let svg = EvalChart.render(Self.results(tasks))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("&lt;odd&gt; &amp; &quot;group&quot;"))
        #expect(svg.contains(">all tasks<"))
        #expect(svg.contains("50.0% (1/2)"))
        let delegate = XMLCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = delegate
        #expect(parser.parse(), "SVG does not parse: \(parser.parserError.map { "\($0)" } ?? "?")")
        // Four groups plus the total: one grey track each.
        #expect(delegate.tracks == 5)
    }

    @Test func progressLineCountsAndEstimates() {
        var p = EvalProgress(total: 4)
        #expect(p.eta(elapsed: 5) == nil)
        p.record(.passed)
        p.record(.failed)
        #expect(p.eta(elapsed: 10) == 10)
        let line = p.line(task: "a/x", status: .failed, steps: 1, durationS: 4, elapsed: 10, error: "check failed: x")
        #expect(line.hasPrefix("[2/4] failed"))
        #expect(line.contains("1 passed, 1 not"))
        #expect(line.contains("ETA 10s"))
        #expect(line.contains("check failed: x"))
    }

    @Test(arguments: [(0.25, "250ms"), (4.0, "4s"), (4.25, "4.3s"), (65, "1m 05s"), (3725, "1h 02m")])
    func durationWords(seconds: Double, text: String) {
        #expect(DurationWords.format(seconds) == text)
    }
}

/// Counts the grey background bars of the chart while checking it parses.
private final class XMLCounter: NSObject, XMLParserDelegate {
    var tracks = 0
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "rect", attributes["fill"] == "#eeeeee" { tracks += 1 }
    }
}
