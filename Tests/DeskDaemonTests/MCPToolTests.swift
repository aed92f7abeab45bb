import DeskConfig
import DeskCore
@testable import DeskDaemon
import Foundation
import MCP
import Testing
import DeskTestSupport
import DeskTesting

/// The MCP tools in process (InMemoryTransport), on a fake display.
@Suite(.ownThread) struct MCPToolTests {
    func connect(_ tools: MCPToolServer) async throws -> (Client, Server) {
        try await MCPTestConnection.connect(tools)
    }

    func settings(_ policy: Policy) -> DaemonSettings {
        DaemonSettings(policyName: policy.name, policy: policy, traceDir: nil, version: "test")
    }

    @Test func listsTheToolsAndRunsActionsThroughThePolicy() async throws {
        let display = FakeDisplay(name: ":93")
        let tools = MCPToolServer(display: display, settings: settings(try PolicyLoader.load(nameOrPath: "default")))
        let (client, server) = try await connect(tools)
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            let (listed, _) = try await client.listTools()
            let names = Set(listed.map(\.name))
            #expect(names.isSuperset(of: ["screenshot", "click", "double_click", "right_click", "move", "drag", "scroll",
                                          "key", "type", "run_task"]))
            #expect(!names.contains("locate"))

            let (shot, shotError) = try await client.callTool(name: "screenshot", arguments: [:])
            #expect(shotError == false)
            guard case .image(let data, let mime, _, _)? = shot.first else {
                Issue.record("no image: \(shot)")
                return
            }
            #expect(mime == "image/png")
            #expect(Array(Data(base64Encoded: data) ?? Data()).prefix(8) == FakeCodec.signature[...])

            let (_, clickError) = try await client.callTool(name: "click", arguments: ["x": .int(7), "y": .int(8)])
            #expect(clickError == false)
            #expect(display.desk.performed.last == .click(at: Point(x: 7, y: 8), button: .left, count: 1))

            let (denied, deniedError) = try await client.callTool(name: "key", arguments: ["keys": .string("ctrl+alt+delete")])
            #expect(deniedError == true)
            guard case .text(let why, _, _)? = denied.first else { Issue.record("no text"); return }
            #expect(why.contains("refused by the policy"))

            let (_, offError) = try await client.callTool(name: "click", arguments: ["x": .int(9999), "y": .int(8)])
            #expect(offError == true)
        }
    }

    @Test func aConfirmRuleIsADenialOverMCP() async throws {
        let display = FakeDisplay(name: ":93")
        let policy = try PolicyLoader.parse(yaml: RouterTests.confirmPolicy, file: "confirm.yaml")
        let tools = MCPToolServer(display: display, settings: settings(policy))
        let (client, server) = try await connect(tools)
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            let (content, isError) = try await client.callTool(name: "type", arguments: ["text": .string("hello")])
            #expect(isError == true)
            guard case .text(let text, _, _)? = content.first else { Issue.record("no text"); return }
            #expect(text.contains("typing needs a yes") && text.contains("nobody can confirm"))
            #expect(display.desk.typed.isEmpty)
            // A task with a gate: denied at once, the job fails.
            let (result, runError) = try await client.callTool(name: "run_task", arguments: [
                "task_yaml": .string("name: t\nsteps:\n  - type: \"hi\"\n")])
            #expect(runError == true)
            guard case .text(let summary, _, _)? = result.first else { Issue.record("no text"); return }
            #expect(summary.hasPrefix("failed (exit 1)"))
            #expect(display.desk.typed.isEmpty)
        }
    }

    @Test func runTaskRunsAScriptedTask() async throws {
        let display = FakeDisplay(name: ":93")
        let tools = MCPToolServer(display: display, settings: settings(try PolicyLoader.load(nameOrPath: "default")))
        let (client, server) = try await connect(tools)
        try await withTeardown({ await client.disconnect(); await server.stop() }) { () async throws in
            let (result, isError) = try await client.callTool(name: "run_task", arguments: [
                "task_yaml": .string("name: t\nsteps:\n  - click: [3, 4]\n  - type: \"ok\"\n")])
            #expect(isError == false)
            guard case .text(let summary, _, _)? = result.first else { Issue.record("no text"); return }
            #expect(summary.hasPrefix("succeeded (exit 0) after 2 steps"))
            #expect(display.desk.typed == "ok")
            let (bad, badError) = try await client.callTool(name: "run_task", arguments: ["task_yaml": .string("name: [x\n")])
            #expect(badError == true && !bad.isEmpty)
        }
    }
}
