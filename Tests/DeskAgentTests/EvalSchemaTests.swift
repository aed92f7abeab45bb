import DeskAgent
import DeskCore
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// `results.json` validates against the documented schema, docs/results.schema.json.
@Suite(.ownThread)
struct EvalSchemaTests {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/results.schema.json").path

    static func schema() throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: schemaPath), "missing \(schemaPath)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// As `eval` writes it.
    static func json(_ results: EvalResults) throws -> Any {
        try JSONSerialization.jsonObject(with: EvalResultsStore.encode(results))
    }

    /// Results with every optional field filled in, so each of them meets the schema.
    static func full() throws -> EvalResults {
        var run = EvalSamples.run(.failed)
        run.ending = "check_failed"
        run.started = Date(timeIntervalSince1970: 1_750_000_000.5)
        run.checks.append(EvalCheckOutcome(name: "window class ~ /X/", outcome: .notRun))
        var task = EvalTaskResult(id: "a/x", group: "a", name: "x", file: "a/x.yaml", goal: "Do x.", runs: [run])
        task.goal = "Do x."
        let timeout = EvalRunRecord(attempt: 1, status: .timeout, error: "no result within 5m", steps: 0, durationS: 300)
        var shard = EvalSamples.results([task, EvalTaskResult(id: "b", group: "ungrouped", name: "b", file: "b.yml", runs: [timeout])],
                                             shard: try EvalShard(index: 0, count: 2))
        shard.mode = .agent
        shard.model = EvalModelInfo(endpoint: "http://127.0.0.1:8000/v1", model: "ui-tars", dialect: "ui-tars-1.5")
        return shard
    }

    @Test func singleRunResultsValidate() throws {
        let errors = SchemaValidator(root: try Self.schema()).validate(try Self.json(try Self.full()))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func mergedResultsValidate() throws {
        let merged = try EvalMerger.merge([EvalMerger.Input(results: try Self.full(), pathPrefix: "../s0", label: "s0")],
                                          deskpilotVersion: "test")
        #expect(merged.missingShards == [1])
        let errors = SchemaValidator(root: try Self.schema()).validate(try Self.json(merged))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func repeatedResultsValidate() throws {
        let r = EvalSamples.results([EvalSamples.task("a/x", [.passed, .crashed, .setupFailed])], repeat: 3)
        let errors = SchemaValidator(root: try Self.schema()).validate(try Self.json(r))
        #expect(errors.isEmpty, "\(errors)")
    }

    /// The validator itself must catch mistakes, or the tests above prove nothing.
    @Test func validatorRejectsWhatTheSchemaForbids() throws {
        let validator = SchemaValidator(root: try Self.schema())
        var object = try #require(try Self.json(try Self.full()) as? [String: Any])
        object["surprise"] = 1
        #expect(validator.validate(object).contains { $0.contains("surprise") })

        object = try #require(try Self.json(try Self.full()) as? [String: Any])
        var tasks = try #require(object["tasks"] as? [[String: Any]])
        var runs = try #require(tasks[0]["runs"] as? [[String: Any]])
        runs[0]["status"] = "kinda"
        tasks[0]["runs"] = runs
        object["tasks"] = tasks
        #expect(validator.validate(object).contains { $0.contains("status") })

        object = try #require(try Self.json(try Self.full()) as? [String: Any])
        object.removeValue(forKey: "totals")
        #expect(validator.validate(object).contains { $0.contains("totals") })

        object = try #require(try Self.json(try Self.full()) as? [String: Any])
        object["started"] = "yesterday"
        #expect(!validator.validate(object).isEmpty)
    }
}

/// Results built by hand for the tests.
enum EvalSamples {
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
}
