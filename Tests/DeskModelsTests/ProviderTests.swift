import DeskCore
import DeskTesting
import Foundation
import Testing
@testable import DeskModels
import DeskModelsURLSession

/// The provider layer against the scripted server of each API: request shapes, replies read into actions,
/// errors and retries as each API documents them, key handling.
@Suite struct ProviderTests {
    static let shot = EncodedImage(data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), size: Size(width: 1366, height: 768))
    static let key = "sk-ant-PROVIDERTEST-0123456789"

    static func options(_ server: ScriptedModelServer, provider: String, retries: Int = 2, toolVersion: String? = nil,
                        stateless: Bool = false, maxReplyBytes: Int = ModelOptions.defaultMaxReplyBytes) -> ModelOptions {
        ModelOptions(provider: provider, endpoint: server.baseURL, model: "test-model", apiKey: key, timeout: 10,
                     retry: RetryPolicy(maxRetries: retries, baseDelay: 0.01, maxDelay: 0.05),
                     maxReplyBytes: maxReplyBytes, toolVersion: toolVersion, stateless: stateless)
    }

    static func anthropic(_ server: ScriptedModelServer, log: SleepLog = SleepLog(), toolVersion: String? = nil,
                          keepImages: Int = 3, maxReplyBytes: Int = ModelOptions.defaultMaxReplyBytes) throws -> AnthropicSession {
        try AnthropicSession(options: options(server, provider: "anthropic", toolVersion: toolVersion, maxReplyBytes: maxReplyBytes),
                             goal: "Press OK", keepImages: keepImages, transport: URLSessionTransport(), sleep: { await log.add($0) }, jitter: { 1 })
    }

    static func responses(_ server: ScriptedModelServer, log: SleepLog = SleepLog(), stateless: Bool = false) throws -> ResponsesSession {
        try ResponsesSession(options: options(server, provider: "openai-responses", stateless: stateless), goal: "Press OK",
                             transport: URLSessionTransport(), sleep: { await log.add($0) }, jitter: { 1 })
    }

    // MARK: registry, URLs and keys

    @Test func endpointsGetEachProvidersPath() throws {
        let a = ModelProvider.anthropic, r = ModelProvider.openAIResponses, c = ModelProvider.openAIChat
        #expect(a.url(for: URL(string: "https://api.anthropic.com")!).absoluteString == "https://api.anthropic.com/v1/messages")
        #expect(a.url(for: URL(string: "https://api.anthropic.com/")!).absoluteString == "https://api.anthropic.com/v1/messages")
        #expect(a.url(for: URL(string: "http://proxy:8080/v1")!).absoluteString == "http://proxy:8080/v1/messages")
        #expect(r.url(for: URL(string: "https://api.openai.com/v1")!).absoluteString == "https://api.openai.com/v1/responses")
        #expect(c.url(for: URL(string: "http://127.0.0.1:8000/v1")!).absoluteString == "http://127.0.0.1:8000/v1/chat/completions")
        #expect(c.url(for: URL(string: "http://h/v1/chat/completions")!).absoluteString == "http://h/v1/chat/completions")
        #expect(throws: InputError.self) { try ProviderRegistry.named("gemini") }
        #expect(ProviderRegistry.names == ["openai-chat", "anthropic", "openai-responses"])
    }

    @Test func keysComeFromTheProvidersOwnVariableNeverAnotherVendors() throws {
        let env = ["OPENAI_API_KEY": "sk-openai", "ANTHROPIC_API_KEY": "sk-ant", "DESKPILOT_API_KEY": "sk-desk"]
        #expect(try ModelOptions.resolve(provider: "anthropic", environment: env, configText: nil).apiKey == "sk-ant")
        #expect(try ModelOptions.resolve(provider: "openai-responses", environment: env, configText: nil).apiKey == "sk-openai")
        #expect(try ModelOptions.resolve(environment: env, configText: nil).apiKey == "sk-openai")
        // Anthropic never falls back to OpenAI's variable, nor OpenAI to Anthropic's.
        let openaiOnly = ["OPENAI_API_KEY": "sk-openai"]
        #expect(try ModelOptions.resolve(provider: "anthropic", environment: openaiOnly, configText: nil).apiKey == nil)
        #expect(try ModelOptions.resolve(provider: "openai-responses", environment: ["ANTHROPIC_API_KEY": "x"], configText: nil).apiKey == nil)
        #expect(try ModelOptions.resolve(provider: "anthropic", environment: ["DESKPILOT_API_KEY": "sk-desk"], configText: nil).apiKey == "sk-desk")
        // A key file wins, and errors name the file, never a key.
        let file = NSTemporaryDirectory() + "deskpilot-keyfile-\(UUID().uuidString)"
        try "sk-from-file\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let o = try ModelOptions.resolve(provider: "anthropic", apiKeyFile: file, environment: env, configText: nil)
        #expect(o.apiKey == "sk-from-file")
        #expect(!o.description.contains("sk-from-file") && !String(reflecting: o).contains("sk-from-file"))
        #expect(throws: InputError.self) { try ModelOptions.resolve(apiKeyFile: file + ".missing", environment: [:], configText: nil) }
        let p = try ModelOptions.resolve(environment: ["DESKPILOT_PROVIDER": "anthropic"], configText: "provider: openai-responses\n")
        #expect(p.provider == "anthropic")
        #expect(try ModelOptions.resolve(environment: [:], configText: "provider: openai-responses\n").provider == "openai-responses")
    }

    // MARK: Anthropic

    @Test func anthropicRequestShapeAndActions() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .anthropic(text: "I'll click OK.", computer: [
                .object(["action": .string("left_click"), "coordinate": .array([.number(71), .number(99)]), "text": .string("shift")]),
            ], thinking: "the OK button is top left"),
            .anthropic(text: "Done: OK pressed."),
        ], api: .anthropic)
        try await withTeardown({ await server.stop() }) { () async throws in
            let session = try Self.anthropic(server, toolVersion: "computer_20251124")
            #expect(session.screenshotSize(for: Size(width: 1920, height: 1080)) == Size(width: 1366, height: 768))
            let t1 = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 1))
            #expect(t1.calls.count == 1 && !t1.finished && t1.stopReason == "tool_use")
            let call = try #require(t1.calls.first)
            #expect(call.actions == [.press(key: "shift"), .click(at: ModelPoint(x: 71, y: 99), button: .left, count: 1), .release(key: "shift")])
            #expect(call.cleanup == [.release(key: "shift")])
            #expect(t1.usage == ToolUsage(inputTokens: 1000, outputTokens: 50, cacheReadTokens: 200))
            #expect(t1.usage.promptTokens == 1200)
            let t2 = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 2,
                                                              results: [ComputerToolResult(callID: call.id)]))
            #expect(t2.finished && t2.text == "Done: OK pressed." && t2.calls.isEmpty)

            let requests = await server.requests
            #expect(requests.count == 2)
            let r0 = try #require(requests.first)
            #expect(r0.path == "/v1/messages")
            #expect(r0.headers["x-api-key"] == Self.key)
            #expect(r0.headers["anthropic-version"] == "2023-06-01")
            #expect(r0.headers["anthropic-beta"] == "computer-use-2025-11-24")
            #expect(r0.headers["authorization"] == nil)
            let tool = try #require(r0.json?["tools"]?.array?.first)
            #expect(tool == .object(["type": .string("computer_20251124"), "name": .string("computer"),
                                     "display_width_px": .number(1366), "display_height_px": .number(768), "enable_zoom": .bool(true)]))
            #expect(r0.json?["model"]?.string == "test-model")
            let first = try #require(r0.json?["messages"]?.array?.first)
            #expect(first["role"]?.string == "user")
            #expect(first["content"]?.array?.first?["text"]?.string == "Press OK")
            #expect(first["content"]?.array?[1]["source"]?["data"]?.string == Self.shot.data.base64EncodedString())
            // Turn two replays the assistant turn as received (thinking block and signature included) and
            // answers the tool_use with a tool_result carrying the screenshot.
            let m = try #require(requests[1].json?["messages"]?.array)
            #expect(m.count == 3)
            #expect(m[1]["content"]?.array?.first?["type"]?.string == "thinking")
            #expect(m[1]["content"]?.array?.first?["signature"]?.string != nil)
            let result = try #require(m[2]["content"]?.array?.first)
            #expect(result["type"]?.string == "tool_result" && result["tool_use_id"]?.string == call.id)
            #expect(result["is_error"] == nil)
            #expect(result["content"]?.array?.last?["type"]?.string == "image")
            // The trace copy of the request has no image bytes.
            #expect(!ToolJSON.text(t2.request).contains(Self.shot.data.base64EncodedString()))
        }
    }

    @Test func anthropicEveryActionOfTheToolVersions() throws {
        let v = try AnthropicToolVersion.named("computer_20251124")
        func read(_ o: [String: JSONValue]) -> ComputerToolCall { AnthropicActionReader.call(id: "t", input: .object(o), version: v) }
        func pt(_ x: Double, _ y: Double) -> JSONValue { .array([.number(x), .number(y)]) }
        let p = ModelPoint(x: 10, y: 20), q = ModelPoint(x: 30, y: 40)
        #expect(read(["action": "key", "text": "ctrl+shift+t Return"]).actions == [.key(chord: "ctrl+shift+t"), .key(chord: "Return")])
        #expect(read(["action": "hold_key", "text": "shift", "duration": 1.5]).actions
                == [.press(key: "shift"), .wait(seconds: 1.5), .release(key: "shift")])
        #expect(read(["action": "type", "text": "héllo ✓"]).actions == [.type(text: "héllo ✓")])
        #expect(read(["action": "cursor_position"]).query == .cursorPosition)
        #expect(read(["action": "screenshot"]).query == .screenshot)
        #expect(read(["action": "mouse_move", "coordinate": pt(10, 20)]).actions == [.move(to: p)])
        #expect(read(["action": "left_mouse_down"]).actions == [.mouseDown(at: nil, button: .left)])
        #expect(read(["action": "left_mouse_up", "coordinate": pt(10, 20)]).actions == [.mouseUp(at: p, button: .left)])
        #expect(read(["action": "right_click", "coordinate": pt(10, 20)]).actions == [.click(at: p, button: .right, count: 1)])
        #expect(read(["action": "middle_click"]).actions == [.click(at: nil, button: .middle, count: 1)])
        #expect(read(["action": "double_click", "coordinate": pt(10, 20)]).actions == [.click(at: p, button: .left, count: 2)])
        #expect(read(["action": "triple_click", "coordinate": pt(10, 20), "text": "ctrl+alt"]).actions
                == [.press(key: "ctrl"), .press(key: "alt"), .click(at: p, button: .left, count: 3), .release(key: "alt"), .release(key: "ctrl")])
        #expect(read(["action": "left_click_drag", "start_coordinate": pt(10, 20), "coordinate": pt(30, 40)]).actions
                == [.drag(from: p, to: q, button: .left)])
        #expect(read(["action": "scroll", "coordinate": pt(10, 20), "scroll_direction": "down", "scroll_amount": 3, "text": "shift"]).actions
                == [.press(key: "shift"), .scroll(at: p, direction: .down, notches: 3), .release(key: "shift")])
        #expect(read(["action": "wait", "duration": 2]).actions == [.wait(seconds: 2)])
        #expect(read(["action": "zoom", "region": .array([0, 0, 683, 384].map { .number($0) })]).query
                == .zoom(ModelPoint(x: 0, y: 0), ModelPoint(x: 683, y: 384)))
        // Errors the model can recover from, one line each.
        #expect(read(["action": "fly"]).error == "unknown computer action 'fly'")
        #expect(read(["action": "scroll", "scroll_direction": "sideways", "scroll_amount": 1]).error?.contains("scroll_direction") == true)
        #expect(read(["action": "mouse_move"]).error?.contains("coordinate") == true)
        let old = try AnthropicToolVersion.named("computer_20250124")
        #expect(AnthropicActionReader.call(id: "t", input: .object(["action": "zoom", "region": .array([])]), version: old).error
                == "'zoom' is not an action of computer_20250124")
        #expect(old.declaration(display: Size(width: 1024, height: 768))["enable_zoom"] == nil)
        #expect(throws: InputError.self) { try AnthropicToolVersion.named("computer_1999") }
    }

    @Test func anthropicScreenshotSizesStayWithinTheDocumentedLimits() throws {
        #expect(AnthropicScreenshotScaling.size(for: Size(width: 1920, height: 1080)) == Size(width: 1366, height: 768))
        #expect(AnthropicScreenshotScaling.size(for: Size(width: 2560, height: 1600)) == Size(width: 1280, height: 800))
        #expect(AnthropicScreenshotScaling.size(for: Size(width: 1600, height: 1200)) == Size(width: 1024, height: 768))
        #expect(AnthropicScreenshotScaling.size(for: Size(width: 1280, height: 800)) == Size(width: 1280, height: 800))
        let odd = AnthropicScreenshotScaling.size(for: Size(width: 3440, height: 1440))
        #expect(max(odd.width, odd.height) <= 1568 && odd.width * odd.height <= 1_150_000)
        // A model point maps back to the screen by the ratio, exactly.
        let m = try? CoordinateMapping(convention: .absoluteOnSent, screen: Rect(x: 0, y: 0, width: 1920, height: 1080),
                                       sentImage: Size(width: 1366, height: 768))
        #expect(try m?.toScreen(ModelPoint(x: 683, y: 384)) == Point(x: 960, y: 540))
    }

    @Test func anthropicErrorsAndRetries() async throws {
        let log = SleepLog()
        let server = try await ScriptedModelServer.start(script: [
            .raw(.object(["type": "error", "error": .object(["type": "overloaded_error", "message": "Overloaded"])]), status: 529,
                 headers: ["retry-after": "2"]),
            .raw(.object(["type": "error", "error": .object(["type": "rate_limit_error", "message": "slow down"])]), status: 429,
                 headers: ["retry-after": "1"]),
            .anthropic(text: "ok"),
            .raw(.object(["type": "error", "error": .object(["type": "invalid_request_error", "message": "messages.0: bad"])]), status: 400),
            .raw(.object(["type": "error", "error": .object(["type": "authentication_error", "message": .string("invalid x-api-key \(Self.key)")])]), status: 401),
            .error(200, body: ""),
            .error(200, body: "{\"content\": [{\"type\": \"tool_use\""),
        ], api: .anthropic)
        try await withTeardown({ await server.stop() }) { () async throws in
            let session = try Self.anthropic(server, log: log)
            let ok = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 1))
            #expect(ok.attempts == 3 && ok.finished)
            #expect(await log.waits == [2, 1])
            func failure() async -> ModelClientError? {
                do throws(ModelClientError) { _ = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 2)); return nil } catch { return error }
            }
            let bad = try #require(await failure())
            #expect(bad.description.hasPrefix("anthropic model server http://127.0.0.1:"))
            #expect(bad.description.contains("/v1/messages answered HTTP 400 after 1 attempt: invalid_request_error: messages.0: bad"))
            #expect(bad.exitStatus == .usage)
            let auth = try #require(await failure())
            #expect(auth.description.contains("HTTP 401") && auth.description.contains("ANTHROPIC_API_KEY"))
            #expect(!auth.description.contains(Self.key))
            let empty = try #require(await failure())
            #expect(empty.description.contains("HTTP 200 with a body that is not a anthropic reply: the body is empty"))
            let malformed = try #require(await failure())
            #expect(malformed.description.contains("not JSON"))
            #expect(malformed.exitStatus == .environment)
            #expect(await server.requests.count == 7)
        }
    }

    @Test func anthropicUnknownActionAndDenialsAreErrorResults() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .anthropic(computer: [.object(["action": "teleport", "coordinate": .array([1, 2])]),
                                  .object(["action": "key", "text": "ctrl+alt+BackSpace"])]),
            .anthropic(text: "giving up"),
        ], api: .anthropic)
        try await withTeardown({ await server.stop() }) { () async throws in
            let session = try Self.anthropic(server)
            let t = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 1))
            #expect(t.calls.first?.error == "unknown computer action 'teleport'")
            _ = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 2, results: [
                ComputerToolResult(callID: t.calls[0].id, error: "error: unknown computer action 'teleport'"),
                ComputerToolResult(callID: t.calls[1].id, error: "error: key ctrl+alt+BackSpace was not performed: denied by keys.deny"),
            ]))
            let results = try #require(await server.requests.last?.json?["messages"]?.array?.last?["content"]?.array)
            #expect(results.count == 2)
            #expect(results.allSatisfy { $0["is_error"] == .bool(true) })
            #expect(results[1]["content"]?.array?.first?["text"]?.string?.contains("was not performed") == true)
            #expect(results[1]["content"]?.array?.last?["type"]?.string == "image")
        }
    }

    @Test func anthropicHistoryKeepsOnlyTheNewestScreenshots() async throws {
        let turns: [ScriptedReply] = (0..<5).map { _ in .anthropic(computer: [.object(["action": "screenshot"])]) } + [.anthropic(text: "done")]
        let server = try await ScriptedModelServer.start(script: turns, api: .anthropic)
        try await withTeardown({ await server.stop() }) { () async throws in
            let session = try Self.anthropic(server, keepImages: 2)
            var results: [ComputerToolResult] = []
            for step in 1...6 {
                let t = try await session.next(ComputerToolInput(screenshot: Self.shot, step: step, results: results))
                results = t.calls.map { ComputerToolResult(callID: $0.id) }
            }
            let last = try #require(await server.requests.last?.body)
            let text = String(decoding: last, as: UTF8.self)
            #expect(text.components(separatedBy: "\"type\":\"image\"").count - 1 == 2)
            #expect(text.contains("an older screenshot, removed"))
        }
    }

    @Test func replyCapEndsWithOneLineAndKeepsNothing() async throws {
        let huge = String(repeating: "x", count: 40_000)
        let server = try await ScriptedModelServer.start(script: [.anthropic(text: huge)], api: .anthropic)
        try await withTeardown({ await server.stop() }) { () async throws in
            let session = try Self.anthropic(server, maxReplyBytes: 20_000)
            do throws(ModelClientError) {
                _ = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 1))
                Issue.record("a reply over the cap was accepted")
            } catch {
                #expect(error.description.contains("more than the 20000-byte cap (raise it with --max-reply-bytes)"))
                #expect(error.attempts == 1)
                #expect(!error.description.contains(huge.prefix(100)))
            }
        }
    }

    // MARK: OpenAI Responses

    @Test func responsesChainsByPreviousResponseIDAndAcknowledgesChecks() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .responses(id: "resp_1", actions: [.object(["type": "click", "button": "left", "x": 100, "y": 140])],
                       safetyChecks: [SafetyCheck(id: "sc_1", code: "malicious_instructions", message: "looks odd")]),
            .responses(id: "resp_2", actions: [
                .object(["type": "scroll", "x": 400, "y": 400, "scroll_x": 0, "scroll_y": 300]),
                .object(["type": "keypress", "keys": .array(["CTRL", "SHIFT", "DELETE"])]),
                .object(["type": "drag", "path": .array([.object(["x": 1, "y": 2]), .object(["x": 3, "y": 4]), .object(["x": 5, "y": 6])])]),
            ], batch: true),
            .responses(id: "resp_3", text: "All done"),
        ], api: .openAIResponses)
        try await withTeardown({ await server.stop() }) { () async throws in
            let session = try Self.responses(server)
            let t1 = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 1))
            let c1 = try #require(t1.calls.first)
            #expect(c1.id == "call_resp_1_0")
            #expect(c1.actions == [.click(at: ModelPoint(x: 100, y: 140), button: .left, count: 1)])
            #expect(c1.safetyChecks == [SafetyCheck(id: "sc_1", code: "malicious_instructions", message: "looks odd")])
            let t2 = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 2,
                                                              results: [ComputerToolResult(callID: c1.id, acknowledged: c1.safetyChecks)]))
            let c2 = try #require(t2.calls.first)
            #expect(c2.actions == [.scroll(at: ModelPoint(x: 400, y: 400), direction: .down, notches: 3), .key(chord: "ctrl+shift+Delete"),
                                   .move(to: ModelPoint(x: 1, y: 2)), .mouseDown(at: ModelPoint(x: 1, y: 2), button: .left),
                                   .move(to: ModelPoint(x: 3, y: 4)), .mouseUp(at: ModelPoint(x: 5, y: 6), button: .left)])
            let t3 = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 3, results: [ComputerToolResult(callID: c2.id)]))
            #expect(t3.finished && t3.text == "All done")

            let r = await server.requests
            #expect(r.map(\.path) == ["/v1/responses", "/v1/responses", "/v1/responses"])
            #expect(r[0].headers["authorization"] == "Bearer \(Self.key)")
            #expect(r[0].json?["tools"]?.array?.first == .object(["type": "computer_use_preview", "display_width": 1366,
                                                                  "display_height": 768, "environment": "linux"]))
            #expect(r[0].json?["truncation"]?.string == "auto")
            #expect(r[0].json?["previous_response_id"] == nil)
            #expect(r[1].json?["previous_response_id"]?.string == "resp_1")
            let out = try #require(r[1].json?["input"]?.array?.first)
            #expect(out["type"]?.string == "computer_call_output" && out["call_id"]?.string == "call_resp_1_0")
            #expect(out["output"]?["type"]?.string == "computer_screenshot")
            #expect(out["output"]?["image_url"]?.string == Self.shot.dataURL)
            #expect(out["acknowledged_safety_checks"]?.array?.first?["id"]?.string == "sc_1")
            #expect(r[2].json?["input"]?.array?.first?["acknowledged_safety_checks"] == nil)
        }
    }

    @Test func responsesReplaysItemsForServersWithoutState() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .responses(id: "", actions: [.object(["type": "type", "text": "hi"])]),
            .responses(id: "", actions: [.object(["type": "wait"])]),
            .responses(id: "", text: "ok"),
        ], api: .openAIResponses)
        try await withTeardown({ await server.stop() }) { () async throws in
            let session = try Self.responses(server)
            var results: [ComputerToolResult] = []
            for step in 1...3 {
                let t = try await session.next(ComputerToolInput(screenshot: Self.shot, step: step, results: results))
                results = t.calls.map { ComputerToolResult(callID: $0.id) }
            }
            let r = await server.requests
            // No id came back, so turn two replays everything: the user turn, the reasoning item, the call, its output.
            let input = try #require(r[1].json?["input"]?.array)
            #expect(input.map { $0["type"]?.string ?? $0["role"]?.string ?? "?" } == ["user", "reasoning", "computer_call", "computer_call_output"])
            #expect(r[1].json?["store"] == .bool(false))
            #expect(r[1].json?["include"]?.array?.first?.string == "reasoning.encrypted_content")
            #expect(r[2].json?["input"]?.array?.count == 7)
            #expect(r.allSatisfy { $0.json?["previous_response_id"] == nil })
        }
    }

    @Test func responsesActionsAndErrors() async throws {
        func call(_ a: JSONValue) -> ComputerToolCall { ResponsesActionReader.call(.object(["call_id": "c", "action": a])) }
        #expect(call(.object(["type": "double_click", "x": 5, "y": 6])).actions == [.click(at: ModelPoint(x: 5, y: 6), button: .left, count: 2)])
        #expect(call(.object(["type": "click", "button": "wheel", "x": 5, "y": 6])).actions == [.click(at: ModelPoint(x: 5, y: 6), button: .middle, count: 1)])
        #expect(call(.object(["type": "click", "button": "right", "x": 5, "y": 6])).actions == [.click(at: ModelPoint(x: 5, y: 6), button: .right, count: 1)])
        #expect(call(.object(["type": "click", "button": "back", "x": 5, "y": 6])).actions == [.move(to: ModelPoint(x: 5, y: 6)), .key(chord: "alt+Left")])
        #expect(call(.object(["type": "move", "x": 5, "y": 6])).actions == [.move(to: ModelPoint(x: 5, y: 6))])
        #expect(call(.object(["type": "type", "text": "日本"])).actions == [.type(text: "日本")])
        #expect(call(.object(["type": "wait", "ms": 1500])).actions == [.wait(seconds: 1.5)])
        #expect(call(.object(["type": "screenshot"])).query == .screenshot)
        #expect(call(.object(["type": "scroll", "x": 1, "y": 1, "scroll_x": -200, "scroll_y": 0])).actions
                == [.scroll(at: ModelPoint(x: 1, y: 1), direction: .left, notches: 2)])
        #expect(call(.object(["type": "keypress", "keys": .array(["ENTER"])])).actions == [.key(chord: "Return")])
        #expect(call(.object(["type": "warp"])).error == "unknown computer action 'warp'")
        #expect(call(.object(["type": "drag", "path": .array([])])).error?.contains("path") == true)

        let server = try await ScriptedModelServer.start(script: [
            .raw(.object(["error": .object(["message": "Rate limit reached", "type": "requests"])]), status: 429, headers: ["retry-after": "3"]),
            .raw(.object(["error": .object(["message": "Invalid 'input[0]'", "type": "invalid_request_error"])]), status: 400),
            .error(401, body: "{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\"}}"),
            .error(200, body: ""),
            .error(200, body: "{not json"),
        ], api: .openAIResponses)
        try await withTeardown({ await server.stop() }) { () async throws in
            let log = SleepLog()
            let session = try Self.responses(server, log: log)
            func failure() async -> ModelClientError? {
                do throws(ModelClientError) { _ = try await session.next(ComputerToolInput(screenshot: Self.shot, step: 1)); return nil } catch { return error }
            }
            let bad = try #require(await failure())
            #expect(await log.waits == [3])
            #expect(bad.description.contains("openai-responses model server") && bad.description.contains("/v1/responses answered HTTP 400 after 2 attempts: invalid_request_error: Invalid 'input[0]'"))
            let auth = try #require(await failure())
            #expect(auth.description.contains("HTTP 401") && auth.description.contains("OPENAI_API_KEY") && !auth.description.contains("ANTHROPIC"))
            #expect(try #require(await failure()).description.contains("the body is empty"))
            #expect(try #require(await failure()).description.contains("not JSON"))
        }
    }

    // MARK: Qwen3-VL over chat completions

    @Test func qwen3NativeToolCallsAndTextAreOneFormat() async throws {
        let chat: JSONValue = .object(["id": "c1", "model": "qwen3-vl", "choices": .array([.object([
            "index": 0, "finish_reason": "tool_calls",
            "message": .object(["role": "assistant", "content": "Action: click OK.", "tool_calls": .array([
                .object(["id": "call_1", "type": "function", "function": .object([
                    "name": "computer_use", "arguments": .string("{\"action\": \"left_click\", \"coordinate\": [78, 175]}")])]),
            ])]),
        ])]), "usage": .object(["prompt_tokens": 10, "completion_tokens": 5])])
        let server = try await ScriptedModelServer.start(script: [.raw(chat)])
        try await withTeardown({ await server.stop() }) { () async throws in
            let client = try ModelClient(options: Self.options(server, provider: "openai-chat"))
            let reply = try await client.complete(ChatRequest(messages: [.user("hi")]))
            let parsed = try Dialect.qwen3VL.parse(reply.text).get()
            #expect(parsed.actions == [.click(at: ModelPoint(x: 78, y: 175), button: .left, count: 1)])
            #expect(parsed.thought == "Action: click OK.")
            let text = try Dialect.qwen3VL.parse("Action: scroll right.\n<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"hscroll\", \"pixels\": 3, \"coordinate\": [500, 500]}}\n</tool_call>").get()
            #expect(text.actions == [.scroll(at: ModelPoint(x: 500, y: 500), direction: .right, notches: 3)])
            let answer = try Dialect.qwen3VL.parse("<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"answer\", \"text\": \"42\"}}\n</tool_call>").get()
            #expect(answer.actions == [.finished(message: "42")])
            // Malformed arguments reach the parser verbatim and fail with a position, so the model is told.
            let broken = ChatResponse.Message.toolCallText([.init(function: .init(name: "computer_use", arguments: .string("{\"action\": \"left_click\", \"coordinate\": [1,")))])
            guard case .failure(let e) = Dialect.qwen3VL.parse(broken) else { Issue.record("malformed arguments parsed"); return }
            #expect(e.description.contains("not a JSON object"))
        }
    }

    @Test func qwen3PromptSizingAndCoordinates() throws {
        let d = Dialect.qwen3VL
        #expect(d.convention == .relative1000)
        #expect(d.resize.factor == 32)
        #expect(try d.resize.resize(Size(width: 1920, height: 1080)) == Size(width: 1920, height: 1088))
        let request = d.buildRequest(goal: "Open settings", history: [], current: Self.shot)
        #expect(request.messages.first?.text.contains("\"name\":\"computer_use\"") == true)
        #expect(request.messages.first?.text.contains("The screen's resolution is 1000x1000.") == true)
        for action in ["triple_click", "hscroll", "answer", "terminate", "left_click_drag"] {
            #expect(request.messages.first?.text.contains("\"\(action)\"") == true)
        }
        let m = try d.mapping(screen: Rect(x: 0, y: 0, width: 1280, height: 800), sentImage: Size(width: 1280, height: 800))
        #expect(try m.toScreen(ModelPoint(x: 78, y: 175)) == Point(x: 100, y: 140))
        #expect(DialectRegistry.names.contains("qwen3-vl"))
    }
}
