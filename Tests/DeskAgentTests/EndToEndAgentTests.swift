import DeskCore
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// `deskpilot agent` and `deskpilot run` as processes: real Xvfb, the fixture app, and the scripted model
/// server on loopback. Each test owns its X server.
@Suite(.serialized, .enabled(if: EndToEnd.available, "needs Xvfb and the built deskpilot binaries"), .ownThread)
struct EndToEndAgentTests {
    /// Click OK (root (100,140)), click the text field (root (400,240)), type, finish — on a 1280x800 screen.
    static let scripts: [(dialect: String, answers: [String])] = [
        ("ui-tars-1.0", ["Thought: OK first\nAction: click(start_box='(78,175)')",
                         "Thought: the field\nAction: click(start_box='(313,300)')",
                         "Thought: type\nAction: type(content='hello world')",
                         "Thought: done\nAction: finished(content='typed it')"]),
        ("ui-tars-1.5", ["Thought: OK first\nAction: click(start_box='<|box_start|>(101,142)<|box_end|>')",
                         "Thought: the field\nAction: click(start_box='<|box_start|>(403,244)<|box_end|>')",
                         "Thought: type\nAction: type(content='hello world')",
                         "Thought: done\nAction: finished(content='typed it')"]),
        ("seed", ["Thought: OK first\nAction: click(point='<point>78 175</point>')",
                  "Thought: the field\nAction: click(point='<point>313 300</point>')",
                  "Thought: type\nAction: type(content='hello world')",
                  "Thought: done\nAction: finished(content='typed it')"]),
        ("seed-xml", ["<seed:tool_call>\n<function=click>\n<parameter=point><point>78 175</point></parameter>\n</function>\n</seed:tool_call>",
                      "<seed:tool_call>\n<function=click>\n<parameter=point><point>313 300</point></parameter>\n</function>\n</seed:tool_call>",
                      "<seed:tool_call>\n<function=type>\n<parameter=content>hello world</parameter>\n</function>\n</seed:tool_call>",
                      "<seed:tool_call>\n<function=finished>\n<parameter=content>typed it</parameter>\n</function>\n</seed:tool_call>"]),
        ("qwen2.5-vl", ["<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [101, 142]}}\n</tool_call>",
                        "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [403, 244]}}\n</tool_call>",
                        "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"type\", \"text\": \"hello world\"}}\n</tool_call>",
                        "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\", \"status\": \"success\"}}\n</tool_call>"]),
    ]

    static func agentArguments(_ server: ScriptedModelServer, dialect: String, traceDir: String, display: [String],
                               extra: [String] = []) -> [String] {
        ["agent", "press OK, then type hello world into the field"] + display
            + ["--endpoint", server.baseURL.absoluteString, "--model", server.modelName, "--dialect", dialect,
               "--trace-dir", traceDir, "--timeout", "20s"] + extra
    }

    @Test(arguments: scripts.map(\.dialect))
    func multiStepGoalDrivesTheFixture(dialect: String) async throws {
        let answers = try #require(Self.scripts.first { $0.dialect == dialect }).answers
        let dir = try temporaryFolder()
        let xvfb = try EndToEnd.Xvfb()
        defer { xvfb.stop() }
        let fixture = try EndToEnd.Fixture(display: xvfb.display, log: dir + "/fixture.log")
        defer { fixture.stop() }
        let server = try await ScriptedModelServer.start(script: answers.map { .text($0) })
        let result = try await EndToEnd.run(Self.agentArguments(server, dialect: dialect, traceDir: dir + "/traces",
                                                                display: ["--display", xvfb.display]))
        await server.stop()
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let events = fixture.events
        #expect(events.contains("\"type\":\"clicked\""))
        #expect(events.contains("\"label\":\"OK\""))
        #expect(events.contains("\"value\":\"hello world\""))
        #expect(!events.contains("\"label\":\"Cancel\""))
        #expect(await server.requests.count == 4)

        // The trace is complete and every line parses.
        let (folder, trace) = try EndToEnd.trace(in: dir + "/traces")
        guard case .runStart(let start)? = trace.first, case .runEnd(let end)? = trace.last else {
            Issue.record("trace does not start with run_start and end with run_end")
            return
        }
        #expect(start.dialect == dialect)
        #expect(start.screen == Size(width: 1280, height: 800))
        #expect(end.status == .succeeded && end.exitCode == 0 && end.steps == 4)
        let steps = trace.compactMap { if case .step(let s) = $0 { s } else { nil } }
        #expect(steps.count == 4)
        #expect(steps.first?.actions.first?.action == .click(at: Point(x: 100, y: 140), button: .left, count: 1))
        #expect(steps.allSatisfy { $0.timings.modelMs != nil && $0.timings.captureMs != nil || $0.step > 1 })
        for step in steps {
            let frame = try #require(step.frame)
            #expect(FileManager.default.fileExists(atPath: folder + "/" + frame))
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/result.json"))
        #expect(FileManager.default.fileExists(atPath: folder + "/report.html"))
    }

    static func headlessRun(_ answers: [ScriptedReply], extra: [String] = [],
                            whileRunning: (@Sendable (pid_t, ScriptedModelServer) async -> Void)? = nil)
        async throws -> (EndToEnd.Result, [TraceEvent], Int) {
        let dir = try temporaryFolder()
        let server = try await ScriptedModelServer.start(script: answers)
        var hook: (@Sendable (pid_t) async -> Void)?
        if let whileRunning {
            hook = { @Sendable (pid: pid_t) async -> Void in await whileRunning(pid, server) }
        }
        let arguments = agentArguments(server, dialect: "ui-tars-1.0", traceDir: dir + "/traces",
                                       display: ["--headless", "--screen", "1024x768"], extra: extra)
        let result = try await EndToEnd.run(arguments, whileRunning: hook)
        let count = await server.requests.count
        await server.stop()
        let events = (try? EndToEnd.trace(in: dir + "/traces").events) ?? []
        return (result, events, count)
    }

    static func endStatus(_ events: [TraceEvent]) -> RunStatus? {
        if case .runEnd(let e)? = events.last { return e.status }
        return nil
    }

    @Test func callUserWithoutATerminalExits5WithTheQuestion() async throws {
        let (result, events, _) = try await Self.headlessRun([.text("Action: call_user(content='Which account should I use?')")])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stdout.contains("Which account should I use?"))
        #expect(Self.endStatus(events) == .needsUser)
    }

    @Test func infeasibleExits1() async throws {
        let (result, events, _) = try await Self.headlessRun([.text("Action: infeasible(content='there is no browser')")])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(Self.endStatus(events) == .failed)
    }

    @Test func maxStepsExits1() async throws {
        let waits = Array(repeating: ScriptedReply.text("Action: click(start_box='(500,500)')"), count: 4)
        let (result, _, requests) = try await Self.headlessRun(waits, extra: ["--max-steps", "2"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(requests == 2)
        #expect(result.stdout.contains("max_steps"))
    }

    @Test func tokenBudgetExits1() async throws {
        let clicks = Array(repeating: ScriptedReply.text("Action: hotkey(key='shift')"), count: 5)
        let (result, _, requests) = try await Self.headlessRun(clicks, extra: ["--budget-tokens", "200"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(requests == 2)
        #expect(result.stdout.contains("token_budget"))
    }

    @Test func noProgressExits1() async throws {
        let clicks = Array(repeating: ScriptedReply.text("Action: click(start_box='(500,500)')"), count: 8)
        let (result, _, requests) = try await Self.headlessRun(clicks)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(requests == 5)
        #expect(result.stdout.contains("no_progress"))
    }

    @Test func parseErrorIsRetriedThenTheRunFinishes() async throws {
        let (result, events, requests) = try await Self.headlessRun([.text("I would click the button."),
                                                                     .text("Action: finished(content='ok')")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(requests == 2)
        let step = events.compactMap { if case .step(let s) = $0 { s } else { nil } }.first
        #expect(step?.parseError != nil)
    }

    @Test func sigtermStopsWithExit130AndAClosedTrace() async throws {
        let (result, events, _) = try await Self.headlessRun([.text("Action: finished()", delay: 30)]) { pid, server in
            let end = Date().addingTimeInterval(60)
            while await server.requests.isEmpty && Date() < end { try? await Task.sleep(for: .milliseconds(50)) }
            kill(pid, SIGTERM)
        }
        #expect(result.status == 130, "\(result.stderr)")
        #expect(Self.endStatus(events) == .stopped)
    }
}
