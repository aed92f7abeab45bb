import DeskConfig
import DeskCore
@testable import DeskDaemon
import DeskTesting
import Foundation
import MCP
import Testing
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every JSON object the daemon serves — HTTP bodies, SSE events, the CLI clients' `--json` lines, MCP
/// `structuredContent` — validates against docs/api.schema.json, with snake_case keys and ISO 8601 times.
@Suite(.ownThread) struct APISchemaTests {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/api.schema.json").path

    let schema: SchemaValidator

    init() throws { schema = try SchemaValidator(path: Self.schemaPath) }

    /// Validates one JSON text against `#/$defs/<name>` and checks its keys; returns what is wrong.
    func problems(_ line: String, _ name: String) -> [String] {
        // A body or an output line may end with its newline; nothing else may break it.
        let text = line.hasSuffix("\n") ? String(line.dropLast()) : line
        var found = schema.validate(json: text, definition: name)
        if let tree = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), !JSONStyle.isSnakeCase(tree) {
            found.append("keys not snake_case: \(text.prefix(300))")
        }
        if text.contains("\n") { found.append("not one line: \(text.prefix(300))") }
        return found
    }

    func text(_ response: DaemonResponse) -> String { String(decoding: response.bodyBytes, as: UTF8.self) }

    @Test func everyHTTPBodyAndSSEEventMatchesTheSchema() async throws {
        let h = try DaemonHarness(displays: [FakeDisplay(name: ":71")])
        try await withTeardown({ await h.stop() }) { () async throws in
            let router = h.router
            #expect(problems(text(await router.handle(DaemonRequest(method: "GET", target: "/health"))), "health") == [])
            #expect(problems(text(await router.handle(DaemonRequest(method: "GET", target: "/info"))), "info") == [])
            let created = await router.handle(.json("POST", "/jobs", DaemonHarness.taskBody(
                "name: s\nsteps:\n  - click: [1, 1]\n  - type: \"ok\"\n  - wait: 10ms\n")))
            #expect(created.status.code == 201)
            #expect(problems(text(created), "job") == [])
            let id = try #require(created.object["id"] as? String)
            _ = try await h.waitFor(id, [.succeeded, .failed])
            #expect(problems(text(await router.handle(DaemonRequest(method: "GET", target: "/jobs/\(id)"))), "job") == [])
            #expect(problems(text(await router.handle(DaemonRequest(method: "GET", target: "/jobs"))), "job_list") == [])
            #expect(problems(text(await router.handle(DaemonRequest(method: "GET", target: "/jobs/999"))), "error") == [])
            let action = await router.handle(.json("POST", "/actions", ["action": "click", "x": 3, "y": 4]))
            #expect(problems(text(action), "action_result") == [])

            // The SSE stream as sent: every `data:` line is one event.
            let events = await router.handle(DaemonRequest(method: "GET", target: "/jobs/\(id)/events"))
            guard case .stream(let chunks) = events.body else {
                Issue.record("events is not a stream")
                return
            }
            var lines: [String] = []
            for await chunk in chunks {
                for line in String(decoding: chunk, as: UTF8.self).split(separator: "\n") where line.hasPrefix("data: ") {
                    lines.append(String(line.dropFirst(6)))
                }
            }
            #expect(lines.count >= 5)
            for line in lines { #expect(problems(line, "event") == [], "\(line)") }
            #expect(lines.contains { $0.contains("\"screen_changed\"") || $0.contains("\"kind\":\"step\"") })
        }
    }

    @Test func theMCPToolsStructuredContentMatchesTheSchema() async throws {
        let display = FakeDisplay(name: ":72")
        let tools = MCPToolServer(display: display, settings: DaemonSettings(
            policyName: "default", policy: try PolicyLoader.load(nameOrPath: "default"), traceDir: nil, version: "test"))
        let (client, server) = try await MCPTestConnection.connect(tools)
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            for (tool, arguments, definition) in [("info", [:], "mcp_info"), ("windows", [:], "mcp_windows"),
                                                  ("click", ["x": 1, "y": 2], "action_result"),
                                                  ("run_task", ["task_yaml": "name: t\nsteps:\n  - click: [1, 1]\n"], "mcp_run")]
                    as [(String, [String: Value], String)] {
                let result = try await client.send(CallTool.request(.init(name: tool, arguments: arguments))).value
                let structured = try #require(result.structuredContent, "\(tool)")
                let line = String(decoding: try JSONEncoder().encode(structured), as: UTF8.self)
                #expect(problems(line, definition) == [], "\(tool): \(line)")
            }
        }
    }

    @Test(.enabled(if: DaemonBinary.hasDaemonCommands, "the daemon commands are not registered"))
    func theCLIClientsJSONIsJSONLinesOfTheSchemasObjects() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        let daemon = try DaemonBinary.start(["serve", "--headless", "--screen", "640x480", "--no-trace"],
                                            environment: ["XDG_RUNTIME_DIR": dir], stderrPath: dir + "/serve.log")
        defer {
            kill(daemon.processIdentifier, SIGTERM)
            Task.detached {
                _ = await DaemonBinary.waitForExit(daemon, timeout: 20)
                try? FileManager.default.removeItem(atPath: dir)
            }
        }
        #expect(await DaemonBinary.waitForSocket(dir + "/deskpilot/pool.sock", process: daemon))
        let env = ["XDG_RUNTIME_DIR": dir]
        let task = dir + "/t.yaml"
        try "name: t\nsteps:\n  - click: [10, 10]\n  - wait: 10ms\n".write(toFile: task, atomically: true, encoding: .utf8)
        let (status, out, err) = try await DaemonBinary.runAsync(["submit", task, "--wait", "--json"], environment: env)
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count >= 4)
        // The job first, then its events.
        if let first = lines.first { #expect(problems(first, "job") == [], "\(first)") }
        for line in lines.dropFirst() { #expect(problems(line, "event") == [], "\(line)") }
        let (s2, listing, e2) = try await DaemonBinary.runAsync(["status", "--json"], environment: env)
        #expect(s2 == 0, "\(e2)")
        for line in listing.split(separator: "\n") { #expect(problems(String(line), "job") == [], "\(line)") }
        let (s3, one, _) = try await DaemonBinary.runAsync(["status", "1", "--json"], environment: env)
        #expect(s3 == 0 && problems(one.trimmingCharacters(in: .newlines), "job") == [])
        #expect(one.contains("\"created_at\":\"20"))
    }
}
