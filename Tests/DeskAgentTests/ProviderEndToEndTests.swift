import DeskCore
import DeskModels
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// `deskpilot agent --provider anthropic|openai-responses` and `--dialect qwen3-vl` as processes, against
/// the scripted server of each API: a real Xvfb, the fixture app's event log proving every input, the trace
/// showing every request, and the API key nowhere but in the request headers.
@Suite(.serialized, .enabled(if: EndToEnd.available, "needs Xvfb and the built deskpilot binaries"), .ownThread)
struct ProviderEndToEndTests {
    static let key = "sk-e2e-SECRET-7f3a9c1d5e"
    static let unicode = "héllo wörld ✓ 日本"

    /// The fixture's log lines as JSON.
    static func events(_ fixture: EndToEnd.Fixture) -> [JSONValue] {
        fixture.events.split(separator: "\n").compactMap { JSONValue.parse(Data($0.utf8)) }
    }

    static func count(_ events: [JSONValue], _ type: String, where test: (JSONValue) -> Bool = { _ in true }) -> Int {
        events.filter { $0["type"]?.string == type && test($0) }.count
    }

    static func near(_ v: JSONValue?, _ expected: Int) -> Bool { v?.number.map { abs(Int($0) - expected) <= 1 } ?? false }

    /// Every file under `folder` (frames too) as bytes: nothing may contain the key.
    static func folderContains(_ folder: String, _ needle: String) -> [String] {
        var hits: [String] = []
        let e = FileManager.default.enumerator(atPath: folder)
        while let rel = e?.nextObject() as? String {
            let path = folder + "/" + rel
            if let data = FileManager.default.contents(atPath: path), data.range(of: Data(needle.utf8)) != nil { hits.append(rel) }
        }
        return hits
    }

    /// The input checks every provider's run must pass: click, double-click, drag, scroll, chord, Unicode.
    static func expectInputs(_ ev: [JSONValue], drag from: (Int, Int), to: (Int, Int), line: Int = #line) {
        #expect(count(ev, "clicked") { $0["label"]?.string == "OK" } == 1, "OK clicked once")
        #expect(count(ev, "button_press") { $0["button"]?.number == 1 && near($0["root_x"], 400) && near($0["root_y"], 240) } >= 2,
                "double-click on the field")
        #expect(count(ev, "drag") { d in
            guard let f = d["from"]?.array, let t = d["to"]?.array, f.count == 2, t.count == 2 else { return false }
            return near(f[0], from.0) && near(f[1], from.1) && near(t[0], to.0) && near(t[1], to.1)
        } == 1, "one drag from \(from) to \(to)")
        #expect(count(ev, "button_press") { $0["button"]?.number == 5 } >= 3, "scrolled down three notches")
        #expect(count(ev, "key_press") { $0["name"]?.string == "Delete" && (Int($0["state"]?.number ?? 0) & 5) == 5 } == 1,
                "ctrl+shift+Delete arrived as one chord")
        let texts = ev.filter { $0["type"]?.string == "text" }.compactMap { $0["value"]?.string }
        #expect(texts.contains("xyz") && texts.contains(""), "typed, then emptied by the chord: \(texts)")
        #expect(texts.last == unicode, "exact Unicode typing: \(texts.last ?? "none")")
    }

    struct Run {
        var result: EndToEnd.Result
        var requests: [RecordedRequest]
        var trace: [TraceEvent]
        var folder: String
        var fixture: [JSONValue]
    }

    static func run(_ script: [ScriptedReply], api: ScriptedModelServer.API, screen: Size, arguments: [String],
                    environment: [String: String]) async throws -> Run {
        let dir = try temporaryFolder()
        let xvfb = try EndToEnd.Xvfb(size: screen)
        defer { xvfb.stop() }
        let fixture = try EndToEnd.Fixture(display: xvfb.display, log: dir + "/fixture.log")
        defer { fixture.stop() }
        let server = try await ScriptedModelServer.start(script: script, api: api)
        let result = try await EndToEnd.run(["agent", "press OK, then type into the field", "--display", xvfb.display,
                                             "--endpoint", server.baseURL.absoluteString, "--model", server.modelName,
                                             "--trace-dir", dir + "/traces", "--timeout", "20s"] + arguments,
                                            environment: environment)
        let requests = await server.requests
        await server.stop()
        let (folder, trace) = (try? EndToEnd.trace(in: dir + "/traces")) ?? ("", [])
        try fixture.barrier()
        return Run(result: result, requests: requests, trace: trace, folder: folder, fixture: events(fixture))
    }

    static func modelCalls(_ trace: [TraceEvent]) -> [JSONValue] {
        trace.compactMap { if case .other(let type, let fields) = $0, type == "model_call" { fields } else { nil } }
    }

    static func end(_ trace: [TraceEvent]) -> RunEndEvent? {
        if case .runEnd(let e)? = trace.last { return e }
        return nil
    }

    // MARK: Anthropic

    @Test func claudeDrivesTheFixtureThroughTheComputerTool() async throws {
        // 1920x1080 is sent as 1366x768 (FWXGA): model points are scaled back by 1920/1366 and 1080/768.
        let sx = 1366.0 / 1920, sy = 768.0 / 1080
        func pt(_ x: Int, _ y: Int) -> JSONValue { .array([.number((Double(x) * sx).rounded()), .number((Double(y) * sy).rounded())]) }
        func back(_ x: Int, _ y: Int) -> (Int, Int) {
            (Int(((Double(x) * sx).rounded() / 1366 * 1920).rounded()), Int(((Double(y) * sy).rounded() / 768 * 1080).rounded()))
        }
        let script: [ScriptedReply] = [
            .anthropic(text: "Clicking OK.", computer: [["action": "left_click", "coordinate": pt(100, 140)]], thinking: "OK is at the top"),
            .anthropic(computer: [["action": "double_click", "coordinate": pt(400, 240)]]),
            .anthropic(computer: [["action": "left_click_drag", "start_coordinate": pt(300, 400), "coordinate": pt(500, 450)]]),
            .anthropic(computer: [["action": "scroll", "coordinate": pt(400, 400), "scroll_direction": "down", "scroll_amount": 3]]),
            .anthropic(computer: [["action": "key", "text": "ctrl+alt+BackSpace"]]),
            .anthropic(computer: [["action": "left_click", "coordinate": pt(400, 240)], ["action": "type", "text": "xyz"],
                                  ["action": "key", "text": "ctrl+shift+Delete"], ["action": "type", "text": .string(Self.unicode)]]),
            .anthropic(computer: [["action": "cursor_position"], ["action": "zoom", "region": [0, 0, 683, 384]], ["action": "teleport"]]),
            .anthropic(text: "All done."),
        ]
        let r = try await Self.run(script, api: .anthropic, screen: Size(width: 1920, height: 1080),
                                   arguments: ["--provider", "anthropic", "--tool-version", "computer_20251124"],
                                   environment: ["ANTHROPIC_API_KEY": Self.key, "OPENAI_API_KEY": "sk-wrong-vendor"])
        #expect(r.result.status == 0, "stdout: \(r.result.stdout)\nstderr: \(r.result.stderr)")
        Self.expectInputs(r.fixture, drag: back(300, 400), to: back(500, 450))
        #expect(Self.count(r.fixture, "key_press") { $0["name"]?.string == "BackSpace" } == 0, "the denied chord never arrived")

        #expect(r.requests.count == 8)
        #expect(r.requests.allSatisfy { $0.path == "/v1/messages" && $0.headers["x-api-key"] == Self.key
                && $0.headers["anthropic-version"] == "2023-06-01" && $0.headers["anthropic-beta"] == "computer-use-2025-11-24" })
        #expect(r.requests.allSatisfy { $0.headers["authorization"] == nil }, "never another vendor's key")
        let first = try #require(r.requests.first?.json)
        #expect(first["tools"]?.array?.first == ["type": "computer_20251124", "name": "computer", "display_width_px": 1366,
                                                 "display_height_px": 768, "enable_zoom": true])
        // The denial went back as an error result the model can recover from.
        let denied = try #require(r.requests[5].json?["messages"]?.array?.last?["content"]?.array?.first)
        #expect(denied["is_error"] == .bool(true))
        #expect(denied["content"]?.array?.first?["text"]?.string?.contains("was not performed") == true)
        // cursor_position answers with text, zoom with a full-resolution crop, an unknown action with an error.
        let last = try #require(r.requests[7].json?["messages"]?.array?.last?["content"]?.array)
        #expect(last.count == 3)
        #expect(last[0]["content"]?.array?.first?["text"]?.string?.hasPrefix("X=") == true)
        let zoom = try #require(last[1]["content"]?.array?.first?["source"]?["data"]?.string.flatMap { Data(base64Encoded: $0) })
        #expect(zoom.count > 24 && zoom[16..<24] == Data([0, 0, 0x03, 0xC0, 0, 0, 0x02, 0x1C]), "zoom is 960x540, full resolution")
        #expect(last[2]["is_error"] == .bool(true))
        // The history keeps at most three images.
        let images = String(decoding: r.requests[7].body, as: UTF8.self).components(separatedBy: "\"type\":\"image\"").count - 1
        #expect(images <= 3)

        // The trace: every request recorded, mappings audited, the run ended with the model's text.
        #expect(Self.modelCalls(r.trace).count == 8)
        #expect(Self.modelCalls(r.trace).allSatisfy { $0["request"]?["messages"] != nil && $0["usage"]?["cache_read_input_tokens"]?.number == 200 })
        let end = try #require(Self.end(r.trace))
        #expect(end.status == .succeeded && end.reason == "All done.")
        let steps = r.trace.compactMap { if case .step(let s) = $0 { s } else { nil } }
        let click = try #require(steps.first?.actions.first)
        #expect(click.mapping?.sentImage == Size(width: 1366, height: 768))
        #expect(click.points?.first?.screen == Point(x: back(100, 140).0, y: back(100, 140).1))
        #expect(Self.folderContains(r.folder, Self.key).isEmpty, "the key is in \(Self.folderContains(r.folder, Self.key))")
        #expect(!r.result.stdout.contains(Self.key) && !r.result.stderr.contains(Self.key))
    }

    @Test func anthropicErrorsEndTheRunWithOneLineAndATrace() async throws {
        let dir = try temporaryFolder()
        let server = try await ScriptedModelServer.start(script: [
            .raw(["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]], status: 529, headers: ["retry-after": "0"]),
            .raw(["type": "error", "error": ["type": "authentication_error", "message": "invalid x-api-key"]], status: 401),
        ], api: .anthropic)
        let keyFile = dir + "/key"
        try Self.key.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let result = try await EndToEnd.run(["agent", "do it", "--headless", "--screen", "1024x768", "--provider", "anthropic",
                                             "--endpoint", server.baseURL.absoluteString, "--model", "claude-test",
                                             "--api-key-file", keyFile, "--trace-dir", dir + "/traces"])
        let requests = await server.requests
        await server.stop()
        #expect(result.status == 2, "\(result.stderr)")
        #expect(requests.count == 2, "529 retried once, 401 not")
        #expect(requests.last?.headers["x-api-key"] == Self.key)
        let line = (result.stdout + result.stderr).split(separator: "\n").last { $0.contains("HTTP") }.map(String.init) ?? ""
        #expect(line.contains("anthropic model server") && line.contains("HTTP 401"), "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(line.contains("HTTP 401") && line.contains("authentication_error: invalid x-api-key"))
        let (folder, trace) = try EndToEnd.trace(in: dir + "/traces")
        let end = try #require(Self.end(trace))
        #expect(end.reason?.contains("HTTP 401") == true)
        #expect(Self.modelCalls(trace).first?["error"]?.string?.contains("HTTP 401") == true)
        #expect(Self.folderContains(folder, Self.key).isEmpty)
        #expect(!result.stderr.contains(Self.key))
    }

    // MARK: OpenAI Responses

    static func responsesScript(checks: [SafetyCheck]) -> [ScriptedReply] {
        [
            .responses(id: "resp_1", actions: [["type": "click", "button": "left", "x": 100, "y": 140]]),
            .responses(id: "resp_2", actions: [["type": "double_click", "x": 400, "y": 240]]),
            .responses(id: "resp_3", actions: [["type": "drag", "path": [["x": 300, "y": 400], ["x": 400, "y": 430], ["x": 500, "y": 450]]]]),
            .responses(id: "resp_4", actions: [["type": "scroll", "x": 400, "y": 400, "scroll_x": 0, "scroll_y": 300],
                                               ["type": "click", "x": 400, "y": 240], ["type": "type", "text": "xyz"],
                                               ["type": "keypress", "keys": ["CTRL", "SHIFT", "DELETE"]]], batch: true),
            .responses(id: "resp_5", actions: [["type": "type", "text": .string(unicode)]], safetyChecks: checks),
            .responses(id: "resp_6", text: "Typed it."),
        ]
    }

    @Test func gptDrivesTheFixtureThroughTheResponsesComputerTool() async throws {
        let check = SafetyCheck(id: "sc_1", code: "malicious_instructions", message: "The screen asks for something odd.")
        let r = try await Self.run(Self.responsesScript(checks: [check]), api: .openAIResponses, screen: Size(width: 1280, height: 800),
                                   arguments: ["--provider", "openai-responses", "--acknowledge-safety-checks"],
                                   environment: ["OPENAI_API_KEY": Self.key, "ANTHROPIC_API_KEY": "sk-wrong-vendor"])
        #expect(r.result.status == 0, "stdout: \(r.result.stdout)\nstderr: \(r.result.stderr)")
        Self.expectInputs(r.fixture, drag: (300, 400), to: (500, 450))
        #expect(r.requests.count == 6)
        #expect(r.requests.allSatisfy { $0.path == "/v1/responses" && $0.headers["authorization"] == "Bearer \(Self.key)" })
        let first = try #require(r.requests.first?.json)
        #expect(first["tools"]?.array?.first == ["type": "computer_use_preview", "display_width": 1280, "display_height": 800,
                                                 "environment": "linux"])
        #expect(first["truncation"]?.string == "auto")
        for i in 1..<6 { #expect(r.requests[i].json?["previous_response_id"]?.string == "resp_\(i)") }
        let ack = try #require(r.requests[5].json?["input"]?.array?.first)
        #expect(ack["type"]?.string == "computer_call_output" && ack["call_id"]?.string == "call_resp_5_0")
        #expect(ack["acknowledged_safety_checks"]?.array?.first?["id"]?.string == "sc_1")
        let checks = r.trace.compactMap { if case .other(let t, let f) = $0, t == "safety_check" { f } else { nil } }
        #expect(checks.count == 1)
        #expect(checks.first?["acknowledged"] == .bool(true) && checks.first?["acknowledged_by"]?.string == "--acknowledge-safety-checks")
        #expect(checks.first?["time"]?.string?.hasPrefix("20") == true && checks.first?["code"]?.string == "malicious_instructions")
        #expect(Self.end(r.trace)?.reason == "Typed it.")
        #expect(Self.modelCalls(r.trace).count == 6)
        #expect(Self.folderContains(r.folder, Self.key).isEmpty)
        #expect(!r.result.stdout.contains(Self.key) && !r.result.stderr.contains(Self.key))
    }

    @Test func aPendingSafetyCheckIsRefusedWithoutAPersonEvenWithYes() async throws {
        let check = SafetyCheck(id: "sc_9", code: "sensitive_domain", message: "This looks like a bank.")
        let script: [ScriptedReply] = [.responses(id: "resp_1", actions: [["type": "type", "text": "secret"]], safetyChecks: [check]),
                                       .responses(id: "resp_2", text: "should never be asked")]
        let r = try await Self.run(script, api: .openAIResponses, screen: Size(width: 1280, height: 800),
                                   arguments: ["--provider", "openai-responses", "--yes"], environment: ["OPENAI_API_KEY": Self.key])
        #expect(r.result.status == 4, "\(r.result.stderr)")
        #expect(r.requests.count == 1)
        #expect(Self.count(r.fixture, "key_press") == 0, "nothing was typed")
        let end = try #require(Self.end(r.trace))
        #expect(end.status == .policyAbort && (end.reason ?? "").contains("sensitive_domain") && (end.reason ?? "").contains("not acknowledged"))
        let checks = r.trace.compactMap { if case .other(let t, let f) = $0, t == "safety_check" { f } else { nil } }
        #expect(checks.first?["acknowledged"] == .bool(false) && checks.first?["acknowledged_by"] == .null)
    }

    // MARK: Qwen3-VL on chat completions

    @Test func qwen3DrivesTheFixtureWithToolCallsAndText() async throws {
        // 1280x800, coordinates relative to 1000: x = X/1000·1280, y = Y/1000·800.
        func rel(_ x: Int, _ y: Int) -> String { "[\(Int((Double(x) / 1.28).rounded())), \(Int((Double(y) / 0.8).rounded()))]" }
        func native(_ args: String) -> ScriptedReply {
            .raw(["id": "c", "model": "qwen3-vl", "choices": [["index": 0, "finish_reason": "tool_calls", "message": [
                "role": "assistant", "content": "Action: next.",
                "tool_calls": [["id": "call", "type": "function", "function": ["name": "computer_use", "arguments": .string(args)]]],
            ]]], "usage": ["prompt_tokens": 100, "completion_tokens": 10]])
        }
        func text(_ args: String) -> ScriptedReply { .text("Action: next.\n<tool_call>\n{\"name\": \"computer_use\", \"arguments\": \(args)}\n</tool_call>") }
        let script: [ScriptedReply] = [
            native("{\"action\": \"left_click\", \"coordinate\": \(rel(100, 140))}"),
            text("{\"action\": \"double_click\", \"coordinate\": \(rel(400, 240))}"),
            native("{\"action\": \"mouse_move\", \"coordinate\": \(rel(300, 400))}"),
            native("{\"action\": \"left_click_drag\", \"coordinate\": "),  // malformed JSON: the model is told and tries again
            native("{\"action\": \"left_click_drag\", \"coordinate\": \(rel(500, 450))}"),
            text("{\"action\": \"scroll\", \"pixels\": -3, \"coordinate\": \(rel(400, 400))}"),
            native("{\"action\": \"left_click\", \"coordinate\": \(rel(400, 240))}"),
            text("{\"action\": \"type\", \"text\": \"xyz\"}"),
            native("{\"action\": \"key\", \"keys\": [\"ctrl\", \"shift\", \"Delete\"]}"),
            native("{\"action\": \"type\", \"text\": \"\(Self.unicode)\"}"),
            text("{\"action\": \"terminate\", \"status\": \"success\"}"),
        ]
        let r = try await Self.run(script, api: .openAIChat, screen: Size(width: 1280, height: 800),
                                   arguments: ["--dialect", "qwen3-vl"], environment: ["OPENAI_API_KEY": Self.key])
        #expect(r.result.status == 0, "stdout: \(r.result.stdout)\nstderr: \(r.result.stderr)")
        Self.expectInputs(r.fixture, drag: (300, 400), to: (500, 450))
        #expect(r.requests.count == 11)
        #expect(r.requests.allSatisfy { $0.path == "/v1/chat/completions" })
        let system = try #require(r.requests.first?.json?["messages"]?.array?.first?["content"]?.string)
        #expect(system.contains("The screen's resolution is 1000x1000."))
        let retry = String(decoding: r.requests[4].body, as: UTF8.self)
        #expect(retry.contains("could not be parsed"), "the malformed tool call was reported to the model")
        #expect(Self.folderContains(r.folder, Self.key).isEmpty)
    }
}
