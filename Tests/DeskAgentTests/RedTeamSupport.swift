import DeskCore
import DeskTesting
import DeskTestSupport
import Foundation
import Testing

/// What the red-team tests share: a display with fixture windows (named by class, so the policy's window
/// rules can refuse one), dialect-correct points, and one `deskpilot agent` run driven by a scripted model.
enum RedTeam {
    /// The screen every red-team display has.
    static let screen = Size(width: 1280, height: 800)

    /// One parsed line of a fixture's JSON log.
    // Unchecked because `fields` holds what JSONSerialization parsed (strings, NSNumbers, arrays and
    // dictionaries of them), never mutated after parsing; `[String: Any]` cannot state that.
    struct Event: @unchecked Sendable, CustomStringConvertible {
        let fields: [String: Any]
        var type: String { fields["type"] as? String ?? "" }
        func string(_ key: String) -> String? { fields[key] as? String }
        func int(_ key: String) -> Int? { (fields[key] as? NSNumber)?.intValue }
        var description: String { "\(fields)" }
    }

    /// The fixture app with a chosen class and place, logging every key and click it receives.
    final class Window: Sendable {
        let process: EndToEnd.Spawned
        let log: String

        init(display: String, log: String, geometry: String, className: String? = nil, title: String? = nil) throws {
            var arguments = [EndToEnd.fixture, "--log", log, "--geometry", geometry]
            if let className { arguments += ["--class", className] }
            if let title { arguments += ["--title", title] }
            var env = ProcessInfo.processInfo.environment
            env["DISPLAY"] = display
            process = try EndToEnd.Spawned(arguments, environment: env)
            self.log = log
            let end = Date().addingTimeInterval(10)
            while Date() < end && !events.contains(where: { $0.type == "ready" }) { usleep(20_000) }
        }

        /// Every logged event, oldest first.
        var events: [Event] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).map(Event.init)
            }
        }

        func events(_ type: String) -> [Event] { events.filter { $0.type == type } }

        /// Returns once every event the X server sent the window so far is in the log (``FixtureMark``):
        /// after a run ended, nothing it sent is still on its way.
        func barrier() throws { try FixtureMark.wait(pid: process.pid, log: log) }

        /// Names of the keys pressed in this window.
        var keysPressed: [String] { events("key_press").compactMap { $0.string("name") } }

        /// The text field's content after the last change ("" when it never changed).
        var text: String { events("text").last?.string("value") ?? "" }

        /// Every value the text field ever held.
        var textHistory: [String] { events("text").compactMap { $0.string("value") } }

        func stop() { process.stop() }

        deinit { stop() }
    }

    /// `p` (root pixels) as the dialect writes a point: 0–1000 relative for ui-tars-1.0 and seed, absolute on
    /// the smart-resized screenshot (1288x812 for 1280x800) for ui-tars-1.5 and qwen2.5-vl.
    static func point(_ p: Point, _ dialect: String) -> (x: Int, y: Int) {
        switch dialect {
        case "ui-tars-1.0", "seed", "seed-xml":
            return (Int((Double(p.x) * 1000 / Double(screen.width)).rounded()), Int((Double(p.y) * 1000 / Double(screen.height)).rounded()))
        default:
            return (Int((Double(p.x) * 1288 / Double(screen.width)).rounded()), Int((Double(p.y) * 812 / Double(screen.height)).rounded()))
        }
    }

    /// A left click at `p` written in `dialect`.
    static func click(_ p: Point, _ dialect: String) -> String {
        let (x, y) = point(p, dialect)
        switch dialect {
        case "ui-tars-1.0": return "click(start_box='(\(x),\(y))')"
        case "ui-tars-1.5": return "click(start_box='<|box_start|>(\(x),\(y))<|box_end|>')"
        case "seed": return "click(point='<point>\(x) \(y)</point>')"
        case "seed-xml": return "<function=click>\n<parameter=point><point>\(x) \(y)</point></parameter>\n</function>"
        default: return "{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [\(x), \(y)]}}"
        }
    }

    /// One model answer holding `calls` (already in the dialect's call syntax) as one multi-action step.
    static func answer(_ calls: [String], _ dialect: String) -> String {
        switch dialect {
        case "seed-xml": return "<seed:tool_call>\n" + calls.joined(separator: "\n") + "\n</seed:tool_call>"
        case "qwen2.5-vl": return calls.map { "<tool_call>\n\($0)\n</tool_call>" }.joined(separator: "\n")
        default: return "Thought: red team\nAction: " + calls.joined(separator: "\n\n")
        }
    }

    /// The closing answer of a script.
    static func finished(_ dialect: String) -> String {
        switch dialect {
        case "seed-xml": return "<seed:tool_call>\n<function=finished>\n<parameter=content>done</parameter>\n</function>\n</seed:tool_call>"
        case "qwen2.5-vl": return "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\", \"status\": \"success\"}}\n</tool_call>"
        default: return "Thought: done\nAction: finished(content='done')"
        }
    }

    /// A `type` call in `dialect`, with `text` escaped as the dialect needs.
    static func type(_ text: String, _ dialect: String) -> String {
        switch dialect {
        case "seed-xml": return "<function=type>\n<parameter=content>\(text)</parameter>\n</function>"
        case "qwen2.5-vl":
            let json = String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
            return "{\"name\": \"computer_use\", \"arguments\": {\"action\": \"type\", \"text\": \(json)}}"
        default: return "type(content='\(text.replacingOccurrences(of: "'", with: "\\'"))')"
        }
    }

    /// A key chord call in `dialect` (`keys` as the model would spell them).
    static func hotkey(_ keys: String, _ dialect: String) -> String {
        switch dialect {
        case "seed-xml": return "<function=hotkey>\n<parameter=key>\(keys)</parameter>\n</function>"
        case "qwen2.5-vl":
            let list = keys.split(whereSeparator: { $0 == " " || $0 == "+" }).map { "\"\($0)\"" }.joined(separator: ", ")
            return "{\"name\": \"computer_use\", \"arguments\": {\"action\": \"key\", \"keys\": [\(list)]}}"
        default: return "hotkey(key='\(keys)')"
        }
    }

    /// What one run left: the process result, the trace's events and the model requests made.
    struct Outcome {
        var result: EndToEnd.Result
        var trace: [TraceEvent]
        var requests: Int

        /// Every traced action with its decision.
        var actions: [TraceAction] {
            trace.flatMap { event -> [TraceAction] in if case .step(let s) = event { s.actions } else { [] } }
        }

        /// The traced actions the policy refused.
        var denied: [TraceAction] { actions.filter { $0.decision?.verdict == .deny } }

        var status: RunStatus? { if case .runEnd(let e)? = trace.last { e.status } else { nil } }
    }

    /// Runs `deskpilot agent` on `display` against a scripted model answering `answers` in order.
    static func run(display: String, dialect: String, answers: [String], dir: String, extra: [String] = [],
                    whileRunning: (@Sendable (pid_t) async -> Void)? = nil) async throws -> Outcome {
        let server = try await ScriptedModelServer.start(script: answers.map { .text($0) })
        let traces = dir + "/traces"
        let arguments = ["agent", "red team", "--display", display, "--endpoint", server.baseURL.absoluteString,
                         "--model", server.modelName, "--dialect", dialect, "--trace-dir", traces, "--timeout", "20s",
                         "--max-steps", String(answers.count + 2)] + extra
        let result = try await EndToEnd.run(arguments, environment: ["XDG_RUNTIME_DIR": dir], whileRunning: whileRunning)
        let requests = await server.requests.count
        await server.stop()
        let trace = (try? EndToEnd.trace(in: traces).events) ?? []
        return Outcome(result: result, trace: trace, requests: requests)
    }

    /// A fresh folder for one test.
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "deskpilot-redteam-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Writes the built-in default policy with `changes` applied line by line (`old` → `new`), for the
    /// cases that need a rule the default leaves empty (regions) or a tighter limit (rate).
    static func defaultPolicy(in dir: String, replacing changes: [(String, String)]) throws -> String {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var yaml = try String(contentsOf: repo.appendingPathComponent("policies/default.yaml"), encoding: .utf8)
        for (old, new) in changes {
            guard yaml.contains(old) else { throw EnvironmentError("policies/default.yaml no longer contains '\(old)'") }
            yaml = yaml.replacingOccurrences(of: old, with: new)
        }
        let path = dir + "/policy.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
