import DeskCore
import DeskTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import DeskModels
import DeskModelsURLSession

/// Records the back-off waits instead of sleeping.
actor SleepLog {
    var waits: [Double] = []
    func add(_ s: Double) { waits.append(s) }
}

@Suite struct ModelClientTests {
    static let png = EncodedImage(data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]), size: Size(width: 1920, height: 1080))

    func client(_ server: ScriptedModelServer, key: String? = "sk-test-key", timeout: Double = 10, retries: Int = 3,
                log: SleepLog = SleepLog()) throws -> ModelClient {
        let options = ModelOptions(endpoint: server.baseURL, model: "ui-tars-7b", dialect: "ui-tars-1.5", apiKey: key,
                                   timeout: timeout, retry: RetryPolicy(maxRetries: retries, baseDelay: 0.01, maxDelay: 0.05),
                                   thinking: false)
        return try ModelClient(options: options, sleep: { await log.add($0) }, jitter: { 1 })
    }

    @Test func requestCarriesPromptImagesHeadersAndKey() async throws {
        let server = try await ScriptedModelServer.start(script: [.text("Thought: go\nAction: click(start_box='(197,525)')",
                                                                        usage: TokenUsage(promptTokens: 1234, completionTokens: 56))])
        try await withTeardown({ await server.stop() }) { () async throws in
            let dialect = try DialectRegistry.named("ui-tars-1.5")
            let turns = (1...6).map { HistoryTurn(step: $0, answer: "Action: wait()", image: Self.png) }
            let request = dialect.buildRequest(goal: "Open settings", history: turns, current: Self.png)
            let reply = try await client(server).complete(request)

            #expect(reply.text == "Thought: go\nAction: click(start_box='(197,525)')")
            #expect(reply.usage == TokenUsage(promptTokens: 1234, completionTokens: 56))
            #expect(reply.attempts == 1)
            #expect(reply.latency > 0)
            let parsed = try dialect.parse(reply.text).get()
            #expect(parsed.actions == [.click(at: ModelPoint(x: 197, y: 525), button: .left, count: 1)])

            let recorded = await server.requests
            #expect(recorded.count == 1)
            let r = try #require(recorded.first)
            #expect(r.method == "POST" && r.path == "/v1/chat/completions")
            #expect(r.headers["authorization"] == "Bearer sk-test-key")
            #expect(r.headers["content-type"] == "application/json")
            let body = try r.chatRequest()
            #expect(body.model == "ui-tars-7b")
            #expect(body.thinking == .init(enabled: false))
            #expect(body.messages[1].text.contains("## User Instruction\nOpen settings"))
            #expect(body.imageURLs.count == 5)
            #expect(body.imageURLs.allSatisfy { $0 == Self.png.dataURL })
            #expect(body.messages.filter { $0.role == .assistant }.count == 6)
            #expect(r.json?["thinking"]?["type"]?.string == "disabled")
            #expect(r.json?["max_tokens"]?.number == 1000)
        }
    }

    @Test func noKeyNoAuthorizationHeader() async throws {
        let server = try await ScriptedModelServer.start(script: [.text("Action: wait()")])
        try await withTeardown({ await server.stop() }) { () async throws in
            _ = try await client(server, key: nil).complete(ChatRequest(messages: [.user("hi")]))
            #expect(await server.requests.first?.headers["authorization"] == nil)
        }
    }

    @Test func retriesServerErrorsAndRateLimitsThenSucceeds() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .error(500, body: "{\"error\": {\"message\": \"overloaded\"}}"),
            .error(429, body: "slow down", headers: ["Retry-After": "0.02"]),
            .error(503, body: ""),
            .text("Action: finished(content='ok')", usage: TokenUsage(promptTokens: 9, completionTokens: 3)),
        ])
        try await withTeardown({ await server.stop() }) { () async throws in
            let log = SleepLog()
            let reply = try await client(server, log: log).complete(ChatRequest(messages: [.user("hi")]))
            #expect(reply.attempts == 4)
            #expect(reply.usage?.totalTokens == 12)
            #expect(await server.requests.count == 4)
            // Exponential back-off, except after the 429, whose Retry-After wins.
            #expect(await log.waits == [0.01, 0.02, 0.04])
        }
    }

    @Test func givesUpAfterRetriesWithEnvironmentError() async throws {
        let server = try await ScriptedModelServer.start(script: Array(repeating: .error(502, body: "bad gateway"), count: 3))
        try await withTeardown({ await server.stop() }) { () async throws in
            do {
                _ = try await client(server, retries: 2).complete(ChatRequest(messages: [.user("hi")]))
                Issue.record("succeeded")
            } catch let error as ModelClientError {
                #expect(error.exitStatus == .environment)
                #expect(error.attempts == 3)
                #expect(error.description.contains(server.baseURL.absoluteString))
                #expect(error.description.contains("HTTP 502") && error.description.contains("bad gateway"))
            }
        }
    }

    @Test func clientErrorsAreNotRetriedAndCarryTheServerMessage() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .error(404, body: "{\"error\": {\"message\": \"The model `nope` does not exist.\"}}"),
        ])
        try await withTeardown({ await server.stop() }) { () async throws in
            do {
                _ = try await client(server).complete(ChatRequest(messages: [.user("hi")]))
                Issue.record("succeeded")
            } catch let error as ModelClientError {
                #expect(error.exitStatus == .usage)
                #expect(error.description.contains("HTTP 404"))
                #expect(error.description.contains("The model `nope` does not exist."))
                #expect(error.description.contains("/v1/chat/completions"))
                #expect(!error.description.contains("sk-test-key"))
            }
            #expect(await server.requests.count == 1)
        }
    }

    @Test func timesOutThenRetries() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .text("Action: wait()", delay: 8),
            .text("Action: finished()"),
        ])
        try await withTeardown({ await server.stop() }) { () async throws in
            // The timeout is generous so that the prompt second answer is never late on a loaded machine; the
            // first one is far later still.
            let reply = try await client(server, timeout: 3, retries: 1).complete(ChatRequest(messages: [.user("hi")]))
            #expect(reply.attempts == 2)
            #expect(reply.text == "Action: finished()")
        }
    }

    @Test func timeoutAfterRetriesIsAnEnvironmentError() async throws {
        let server = try await ScriptedModelServer.start(script: [.text("late", delay: 3)])
        try await withTeardown({ await server.stop() }) { () async throws in
            do {
                _ = try await client(server, timeout: 0.5, retries: 0).complete(ChatRequest(messages: [.user("hi")]))
                Issue.record("succeeded")
            } catch let error as ModelClientError {
                #expect(error.kind == .timedOut(seconds: 0.5))
                #expect(error.exitStatus == .environment)
                #expect(error.description.contains(server.baseURL.absoluteString))
            }
        }
    }

    @Test(arguments: [
        ("<html>oops</html>", "not JSON"),
        ("{\"id\": 1}", "missing or mistyped"),
        ("{\"choices\": []}", "\"choices\" is empty"),
    ])
    func badBodiesAreClearErrors(_ body: String, _ expected: String) async throws {
        let server = try await ScriptedModelServer.start(script: [ScriptedReply(status: 200, body: body)])
        try await withTeardown({ await server.stop() }) { () async throws in
            do {
                _ = try await client(server).complete(ChatRequest(messages: [.user("hi")]))
                Issue.record("succeeded")
            } catch let error as ModelClientError {
                #expect(error.description.contains(server.baseURL.absoluteString))
                #expect(error.description.contains("HTTP 200"))
                #expect(error.description.contains(expected))
                #expect(error.exitStatus == .environment)
            }
        }
    }

    @Test func unreachableServerIsAnEnvironmentError() async throws {
        // Start and stop a server to get a port nobody listens on.
        let server = try await ScriptedModelServer.start(script: [])
        let url = server.baseURL
        await server.stop()
        let options = ModelOptions(endpoint: url, model: "m", retry: RetryPolicy(maxRetries: 1, baseDelay: 0.01))
        do {
            _ = try await ModelClient(options: options, sleep: { _ in }).complete(ChatRequest(messages: [.user("hi")]))
            Issue.record("succeeded")
        } catch let error as ModelClientError {
            #expect(error.exitStatus == .environment)
            #expect(error.attempts == 2)
            #expect(error.description.contains("unreachable") && error.description.contains(url.absoluteString))
        }
    }

    @Test func missingModelNameIsAUsageError() async throws {
        let options = ModelOptions(endpoint: URL(string: "http://127.0.0.1:9/v1"))
        do {
            _ = try await ModelClient(options: options).complete(ChatRequest(messages: [.user("hi")]))
            Issue.record("succeeded")
        } catch let error as ModelClientError {
            #expect(error.exitStatus == .usage && error.description.contains("--model"))
        }
    }

    @Test func worksWithoutSocketsThroughATransport() async throws {
        let transport = ClosureTransport { request throws(TransportError) in
            guard request.url.absoluteString == "http://stub/v1/chat/completions" else { throw .connection("wrong URL") }
            return TransportResponse(status: 200, body: Data(#"{"choices":[{"message":{"content":"Action: wait()"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#.utf8))
        }
        let c = try ModelClient(options: ModelOptions(endpoint: URL(string: "http://stub/v1"), model: "m"), transport: transport)
        let reply = try await c.complete(ChatRequest(messages: [.user("x")]))
        #expect(reply.text == "Action: wait()" && reply.usage?.totalTokens == 4)
    }

    @Test func modelsEndpointAndExhaustedScript() async throws {
        let server = try await ScriptedModelServer.start(script: [], modelName: "m1")
        try await withTeardown({ await server.stop() }) { () async throws in
            let (data, _) = try await URLSession.shared.data(from: server.baseURL.appendingPathComponent("models"))
            #expect(JSONValue.parse(data)?["data"]?.array?.first?["id"]?.string == "m1")
            do {
                _ = try await client(server).complete(ChatRequest(messages: [.user("hi")]))
                Issue.record("succeeded")
            } catch let error as ModelClientError {
                #expect(error.description.contains("script exhausted"))
            }
        }
    }
}
