import DeskAgent
import DeskCore
import Foundation
import Testing

/// `results.json` validates against the documented schema, docs/results.schema.json.
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

/// The subset of JSON Schema 2020-12 that docs/results.schema.json uses: `$ref` to `#/$defs/…`, `type`,
/// `enum`, `const`, `required`, `properties`, `additionalProperties: false`, `items`, `minItems`, `minimum`,
/// `maximum`, `pattern`. An unknown keyword is reported, so the schema cannot silently outgrow the validator.
struct SchemaValidator {
    let root: [String: Any]
    static let known: Set<String> = ["$schema", "$id", "$defs", "$ref", "title", "description", "type", "enum", "const",
                                     "required", "properties", "additionalProperties", "items", "minItems", "minimum",
                                     "maximum", "pattern", "format"]

    func validate(_ value: Any) -> [String] {
        var errors: [String] = []
        check(value, against: root, at: "$", errors: &errors)
        return errors
    }

    private func check(_ value: Any, against schema: [String: Any], at path: String, errors: inout [String]) {
        for key in schema.keys where !Self.known.contains(key) { errors.append("\(path): schema keyword \(key) not supported") }
        if let ref = schema["$ref"] as? String {
            let name = ref.replacingOccurrences(of: "#/$defs/", with: "")
            guard let defs = root["$defs"] as? [String: Any], let target = defs[name] as? [String: Any] else {
                errors.append("\(path): unresolved \(ref)")
                return
            }
            check(value, against: target, at: path, errors: &errors)
        }
        if let type = schema["type"] as? String, !Self.matches(value, type: type) {
            errors.append("\(path): expected \(type), got \(value)")
            return
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            errors.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            errors.append("\(path): \(value) is not \(constant)")
        }
        if let number = Self.number(value) {
            if let min = schema["minimum"].flatMap(Self.number), number < min { errors.append("\(path): \(number) < \(min)") }
            if let max = schema["maximum"].flatMap(Self.number), number > max { errors.append("\(path): \(number) > \(max)") }
        }
        if let text = value as? String, let pattern = schema["pattern"] as? String {
            let regex = try? NSRegularExpression(pattern: pattern)
            if regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                errors.append("\(path): '\(text)' does not match \(pattern)")
            }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                errors.append("\(path): missing required \(key)")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, item) in object {
                if let sub = properties[key] as? [String: Any] {
                    check(item, against: sub, at: "\(path).\(key)", errors: &errors)
                } else if (schema["additionalProperties"] as? Bool) == false {
                    errors.append("\(path): unexpected property \(key)")
                }
            }
        }
        if let array = value as? [Any] {
            if let min = schema["minItems"] as? Int, array.count < min { errors.append("\(path): fewer than \(min) items") }
            if let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { check(item, against: items, at: "\(path)[\(i)]", errors: &errors) }
            }
        }
    }

    static func number(_ value: Any) -> Double? {
        if value is String { return nil }
        return (value as? NSNumber)?.doubleValue
    }

    static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return value is Bool
        case "number": return number(value) != nil
        case "integer": return number(value).map { $0 == $0.rounded() } ?? false
        case "null": return value is NSNull
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = number(a), let y = number(b) { return x == y }
        return false
    }
}
