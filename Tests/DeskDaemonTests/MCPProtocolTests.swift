import DeskConfig
import DeskCore
@testable import DeskDaemon
import DeskTesting
import Foundation
import MCP
import Testing
import DeskTestSupport

/// The MCP server as a real client of the same swift-sdk sees it (protocol 2025-11-25, in process over
/// InMemoryTransport, on a fake display): annotations and schemas on every tool, structured results that
/// match their output schemas, the HTTP API's whole action set, progress per `run_task` step, cancellation
/// that stops the job, and unknown tools answered as the protocol says.
@Suite(.ownThread) struct MCPProtocolTests {
    func connect(_ tools: MCPToolServer) async throws -> (Client, Server) {
        try await MCPTestConnection.connect(tools)
    }

    func tools(_ display: FakeDisplay) throws -> MCPToolServer {
        MCPToolServer(display: display, settings: DaemonSettings(
            policyName: "default", policy: try PolicyLoader.load(nameOrPath: "default"), traceDir: nil, version: "test"))
    }

    /// The whole result of a call (the client's `callTool` drops `structuredContent`).
    func call(_ client: Client, _ name: String, _ arguments: [String: Value] = [:]) async throws -> CallTool.Result {
        try await client.send(CallTool.request(.init(name: name, arguments: arguments))).value
    }

    /// Checks `value` against a tool's `outputSchema` with the project's schema validator.
    func violations(_ value: Value?, of tool: Tool?) throws -> [String] {
        let schema = try #require(tool?.outputSchema)
        let root = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(schema)) as? [String: Any])
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try #require(value)), options: [.fragmentsAllowed])
        return SchemaValidator(root: root).validate(object)
    }

    @Test func everyToolHasAnnotationsBoundsAndEnumsAndDataToolsAnOutputSchema() async throws {
        let display = FakeDisplay(name: ":81", size: Size(width: 320, height: 200))
        let (client, server) = try await connect(try tools(display))
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            let (listed, _) = try await client.listTools()
            let byName = Dictionary(uniqueKeysWithValues: listed.map { ($0.name, $0) })
            #expect(Set(byName.keys).isSuperset(of: ["screenshot", "info", "windows", "click", "double_click", "triple_click",
                                                     "right_click", "middle_click", "move", "drag", "scroll", "key", "type",
                                                     "press", "release", "run_task"]))
            for name in ["screenshot", "info", "windows", "tree"] {
                #expect(byName[name]?.annotations.readOnlyHint == true, "\(name)")
            }
            for name in MCPToolCatalog.actionNames + ["run_task"] {
                #expect(byName[name]?.annotations.readOnlyHint == false, "\(name)")
                #expect(byName[name]?.annotations.destructiveHint == true, "\(name)")
            }
            for tool in listed { #expect(tool.annotations.title != nil, "\(tool.name)") }
            for name in ["info", "windows", "tree", "run_task"] + MCPToolCatalog.actionNames {
                #expect(byName[name]?.outputSchema != nil, "\(name)")
            }
            let scroll = try #require(byName["scroll"]).inputSchema
            #expect(scroll["properties"]?["direction"]?["enum"] == ["up", "down", "left", "right"])
            #expect(scroll["properties"]?["amount"]?["maximum"] == 50)
            let click = try #require(byName["click"]).inputSchema
            #expect(click["properties"]?["x"]?["maximum"] == 319)
            #expect(click["properties"]?["y"]?["maximum"] == 199)
            #expect(click["properties"]?["button"]?["enum"] == ["left", "middle", "right"])
        }
    }

    @Test func dataToolsAnswerStructuredContentThatMatchesTheirSchemas() async throws {
        let display = FakeDisplay(name: ":82")
        let (client, server) = try await connect(try tools(display))
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            let (listed, _) = try await client.listTools()
            func tool(_ name: String) -> Tool? { listed.first { $0.name == name } }

            let info = try await call(client, "info")
            #expect(info.isError == false)
            #expect(info.structuredContent?["display"] == ":82")
            #expect(info.structuredContent?["policy_name"] == "default")
            #expect(try violations(info.structuredContent, of: tool("info")) == [])
            // The same JSON as text, for clients that read only text.
            guard case .text(let text, _, _)? = info.content.first else { Issue.record("no text"); return }
            #expect(text.contains("\"policy_name\":\"default\""))

            // A display without an accessibility bus says so as a tool error.
            let tree = try await call(client, "tree")
            #expect(tree.isError == true)
            guard case .text(let why, _, _)? = tree.content.first else { Issue.record("no text"); return }
            #expect(why.contains("no accessibility tree"))

            let windows = try await call(client, "windows")
            #expect(windows.structuredContent?["windows"] == [])
            #expect(try violations(windows.structuredContent, of: tool("windows")) == [])

            let clicked = try await call(client, "click", ["x": 5, "y": 6])
            #expect(clicked.isError == false)
            #expect(clicked.structuredContent?["executed"] == true)
            #expect(try violations(clicked.structuredContent, of: tool("click")) == [])
            let refused = try await call(client, "key", ["keys": "ctrl+alt+delete"])
            #expect(refused.isError == true)
            #expect(refused.structuredContent?["decision"] == "deny")

            let run = try await call(client, "run_task", ["task_yaml": "name: t\nsteps:\n  - click: [3, 4]\n"])
            #expect(run.isError == false)
            #expect(run.structuredContent?["state"] == "succeeded")
            #expect(run.structuredContent?["exit_code"] == 0)
            #expect(try violations(run.structuredContent, of: tool("run_task")) == [])
        }
    }

    @Test func theHTTPAPIsActionSetIsThere() async throws {
        let display = FakeDisplay(name: ":83")
        let (client, server) = try await connect(try tools(display))
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            #expect(try await call(client, "triple_click", ["x": 10, "y": 11]).isError == false)
            #expect(display.desk.performed.last == .click(at: Point(x: 10, y: 11), button: .left, count: 3))
            #expect(try await call(client, "middle_click", ["x": 12, "y": 13]).isError == false)
            #expect(display.desk.performed.last == .click(at: Point(x: 12, y: 13), button: .middle, count: 1))
            // A pressed key stays down for the next action (shift+click), then every key is up.
            #expect(try await call(client, "press", ["key": "shift"]).isError == false)
            #expect(display.desk.held == ["shift"])
            #expect(try await call(client, "release", ["key": "shift"]).isError == false)
            #expect(display.desk.held.isEmpty)
            #expect(display.desk.performed.suffix(2) == [.press(key: "shift"), .release(key: "shift")])
        }
    }

    /// A key held by `press` is let go before a chord whose modifiers would make a refused chord of it
    /// (`press Delete`, then `key ctrl+alt+x`: ctrl+alt+Delete), and the gate no longer counts it as held.
    @Test func aHeldKeyIsReleasedBeforeAModifierMakesARefusedChord() async throws {
        let display = FakeDisplay(name: ":85")
        let (client, server) = try await connect(try tools(display))
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            #expect(try await call(client, "press", ["key": "Delete"]).isError == false)
            #expect(display.desk.held == ["Delete"])
            #expect(try await call(client, "key", ["keys": "ctrl+alt+x"]).isError == false)
            #expect(display.desk.performed.suffix(2) == [.release(key: "Delete"), .key(chord: "ctrl+alt+x")])
            // Delete is up: a chord with it is judged alone again.
            #expect(try await call(client, "key", ["keys": "shift+x"]).isError == false)
            #expect(display.desk.performed.last == .key(chord: "shift+x"))
        }
    }

    @Test func anUnknownToolIsAnInvalidParamsError() async throws {
        let (client, server) = try await connect(try tools(FakeDisplay(name: ":84")))
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            do {
                _ = try await call(client, "format_disk")
                Issue.record("an unknown tool must be a protocol error")
            } catch let error as MCPError {
                #expect(error.code == -32602)
                #expect("\(error)".contains("format_disk"))
            }
        }
    }

    /// What a client heard of a call's progress.
    actor Heard {
        var progress: [Double] = []
        var messages: [String] = []
        func add(_ p: ProgressNotification.Parameters) {
            progress.append(p.progress)
            messages.append(p.message ?? "")
        }
    }

    @Test func runTaskReportsEveryStepAsProgress() async throws {
        let display = FakeDisplay(name: ":85")
        let (client, server) = try await connect(try tools(display))
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            let heard = Heard()
            await client.onNotification(ProgressNotification.self) { message in await heard.add(message.params) }
            let request = CallTool.request(.init(name: "run_task",
                                                 arguments: ["task_yaml": "name: p\nsteps:\n  - click: [1, 1]\n  - click: [2, 2]\n  - type: \"ok\"\n"],
                                                 meta: Metadata(progressToken: .string("run-1"))))
            let result = try await client.send(request).value
            #expect(result.isError == false)
            // Notifications may trail the result by a moment on the transport.
            let deadline = Date().addingTimeInterval(2)
            while await heard.progress.count < 3 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await heard.progress == [1, 2, 3])
            #expect(await heard.messages.last?.contains("type") == true)
        }
    }

    @Test func cancellingRunTaskStopsTheJob() async throws {
        let display = FakeDisplay(name: ":86")
        let mcp = try tools(display)
        let (client, server) = try await connect(mcp)
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            let context: RequestContext<CallTool.Result> = try await client.send(
                CallTool.request(.init(name: "run_task", arguments: ["task_yaml": "name: long\nsteps:\n  - wait: 30s\n"])))
            var job: Job?
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                job = await mcp.queue.job("1")
                if job?.currentState == .running { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(job?.currentState == .running)
            try await client.cancelRequest(context.requestID, reason: "the user changed their mind")
            let stopDeadline = Date().addingTimeInterval(10)
            while job?.currentState.isFinal != true && Date() < stopDeadline { try await Task.sleep(for: .milliseconds(20)) }
            let snapshot = try #require(job?.snapshot())
            #expect(snapshot.state == .stopped)
            #expect(snapshot.exitCode == 130)
            #expect(snapshot.reason?.contains("cancelled by the MCP client") == true)
            #expect(display.desk.held.isEmpty)
        }
    }
}

extension Value {
    /// A member of an object value (nil for anything else), so tests can walk schemas and results.
    subscript(_ key: String) -> Value? { objectValue?[key] }
}
