import DeskCore
import Foundation

/// Chat completions against any OpenAI-compatible endpoint, with retries.
///
/// Model name, sampling settings and the `thinking` switch from ``ModelOptions`` override what the
/// dialect put in the request. Connection errors, timeouts, 429 and 5xx are retried with exponential
/// back-off and jitter (honouring `Retry-After`); everything else fails at once with the server's message.
public struct ModelClient: Sendable {
    public let options: ModelOptions
    /// Where requests go (`…/chat/completions`).
    public let url: URL
    let transport: any HTTPTransport
    let sleep: @Sendable (Double) async throws -> Void
    let jitter: @Sendable () -> Double

    /// - Parameters:
    ///   - sleep: waits between retries (tests pass one that records instead of sleeping).
    ///   - jitter: a number in 0…1 for back-off jitter.
    public init(options: ModelOptions, transport: any HTTPTransport,
                sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) throws(InputError) {
        self.options = options
        self.url = ModelProvider.openAIChat.url(for: try options.requireEndpoint())
        self.transport = transport
        self.sleep = sleep
        self.jitter = jitter
    }

    /// `request` with the options' model, sampling and thinking settings applied.
    public func prepared(_ request: ChatRequest) -> ChatRequest {
        var r = request
        if let m = options.model { r.model = m }
        if let t = options.temperature { r.temperature = t }
        if let p = options.topP { r.topP = p }
        if let n = options.maxTokens { r.maxTokens = n }
        if let th = options.thinking { r.thinking = .init(enabled: th) }
        r.stream = nil
        return r
    }

    /// Sends `request` and returns the first choice's text, retrying as the options say.
    public func complete(_ request: ChatRequest) async throws(ModelClientError) -> ChatReply {
        let endpoint = url.absoluteString
        let body: Data
        let r = prepared(request)
        guard !r.model.isEmpty else {
            throw ModelClientError(kind: .invalidRequest("no model name: pass --model NAME, set DESKPILOT_MODEL, or put 'model: NAME' in ~/.config/deskpilot/config.yaml"),
                                   endpoint: endpoint, attempts: 0)
        }
        do { body = try JSONEncoder().encode(r) } catch {
            throw ModelClientError(kind: .invalidRequest("cannot encode the request: \(error)"), endpoint: endpoint, attempts: 0)
        }
        var headers: [String: String] = [:]
        if let key = options.apiKey { headers["Authorization"] = "Bearer \(key)" }
        let sender = RetryingSender(options: options, url: url, providerName: nil, transport: transport, sleep: sleep, jitter: jitter)
        let sent = try await sender.send(body: body, headers: headers)
        let reply = try Self.decode(sent.response, endpoint: endpoint, attempts: sent.attempts)
        return ChatReply(text: reply.text, reasoning: reply.reasoning, usage: reply.usage, latency: sent.latency,
                         attempts: sent.attempts, finishReason: reply.finishReason, model: reply.model)
    }

    /// The first choice of a 2xx body, or a `badResponse` error naming the status.
    static func decode(_ response: TransportResponse, endpoint: String, attempts: Int) throws(ModelClientError) -> ChatReply {
        func bad(_ reason: String) -> ModelClientError {
            ModelClientError(kind: .badResponse(status: response.status, reason: reason), endpoint: endpoint, attempts: attempts)
        }
        guard JSONValue.parse(response.body) != nil else {
            throw bad("not JSON: \(snippet(response.body))")
        }
        let decoded: ChatResponse
        do { decoded = try JSONDecoder().decode(ChatResponse.self, from: response.body) } catch {
            throw bad("missing or mistyped fields (expected {\"choices\": [{\"message\": {\"content\": …}}]}): \(snippet(response.body))")
        }
        guard let choice = decoded.choices.first else { throw bad("\"choices\" is empty") }
        guard let text = choice.message.content else { throw bad("the first choice has no text content") }
        return ChatReply(text: text, reasoning: choice.message.reasoningContent, usage: decoded.usage, latency: 0,
                         attempts: attempts, finishReason: choice.finishReason, model: decoded.model)
    }

    /// The server's own explanation: `error.message`, `error`, `message`, `detail`, or the body's start.
    static func serverMessage(_ body: Data) -> String { RetryingSender.serverMessage(body) }

    static func snippet(_ body: Data) -> String { RetryingSender.snippet(body) }
}
