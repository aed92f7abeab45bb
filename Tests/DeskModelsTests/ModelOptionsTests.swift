import DeskCore
import Foundation
import Testing
@testable import DeskModels

@Suite struct ModelOptionsTests {
    let config = """
    # deskpilot settings
    endpoint: http://config-host:8000/v1
    model: "config-model"   
    dialect: seed   # comment
    policy:
      endpoint: nested-is-ignored
    """

    @Test func flagBeatsEnvironmentBeatsConfig() throws {
        let env = ["DESKPILOT_MODEL": "env-model", "DESKPILOT_API_KEY": "sk-secret"]
        let o = try ModelOptions.resolve(endpoint: "http://flag:1/v1", environment: env, configText: config)
        #expect(o.endpoint?.absoluteString == "http://flag:1/v1")
        #expect(o.model == "env-model")
        #expect(o.dialect == "seed")
        #expect(o.apiKey == "sk-secret")
        #expect(!o.description.contains("sk-secret"))
        #expect(!String(reflecting: o).contains("sk-secret"))
        var dumped = ""
        dump(o, to: &dumped)
        #expect(!dumped.contains("sk-secret"))
    }

    @Test func configAloneAndDefaults() throws {
        let o = try ModelOptions.resolve(environment: ["OPENAI_API_KEY": "k2"], configText: config)
        #expect(o.endpoint?.absoluteString == "http://config-host:8000/v1")
        #expect(o.model == "config-model")
        #expect(o.apiKey == "k2")
        let none = try ModelOptions.resolve(environment: [:], configText: nil)
        #expect(none.dialect == "ui-tars-1.5" && none.endpoint == nil && none.timeout == 60 && none.retry.maxRetries == 3)
        #expect(throws: InputError.self) { try none.requireEndpoint() }
    }

    @Test func badValuesSayWhere() {
        do {
            _ = try ModelOptions.resolve(environment: ["DESKPILOT_ENDPOINT": "ftp://x"], configText: nil)
            Issue.record("accepted")
        } catch { #expect(error.description.contains("DESKPILOT_ENDPOINT")) }
        do {
            _ = try ModelOptions.resolve(environment: [:], configText: "model: 'unclosed\n", configPath: "/c.yaml")
            Issue.record("accepted")
        } catch { #expect(error.description.hasPrefix("/c.yaml:1:")) }
    }

    @Test func chatCompletionsURL() {
        #expect(ModelOptions.chatCompletionsURL(for: URL(string: "http://h:8000/v1")!).absoluteString == "http://h:8000/v1/chat/completions")
        #expect(ModelOptions.chatCompletionsURL(for: URL(string: "http://h:8000/v1/")!).absoluteString == "http://h:8000/v1/chat/completions")
        #expect(ModelOptions.chatCompletionsURL(for: URL(string: "http://h/api/chat/completions")!).absoluteString == "http://h/api/chat/completions")
    }

    @Test func retryDelays() {
        let r = RetryPolicy(maxRetries: 3, baseDelay: 0.5, maxDelay: 8)
        #expect(r.delay(beforeRetry: 1, retryAfter: nil, jitter: 1) == 0.5)
        #expect(r.delay(beforeRetry: 3, retryAfter: nil, jitter: 1) == 2)
        #expect(r.delay(beforeRetry: 3, retryAfter: nil, jitter: 0) == 1)
        #expect(r.delay(beforeRetry: 10, retryAfter: nil, jitter: 1) == 8)
        #expect(r.delay(beforeRetry: 1, retryAfter: 7, jitter: 0) == 7)
        #expect(RetryPolicy.parseRetryAfter("3") == 3)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
    }
}
