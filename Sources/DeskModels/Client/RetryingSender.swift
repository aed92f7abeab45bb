import DeskCore
import Foundation

/// Sends one JSON request with the options' retries, timeout and reply cap, and turns every failure into a
/// ``ModelClientError`` naming the provider, the status and the server's own message. Every provider
/// sends through here, so retries, `Retry-After` and the cap behave the same for all of them.
///
/// Connection errors, timeouts, 429, 5xx (Anthropic's 529 "overloaded" included) are retried with
/// exponential back-off and jitter, honouring `retry-after`; any other status fails at once. A reply larger
/// than ``ModelOptions/maxReplyBytes`` fails at once and is not kept.
public struct RetryingSender: Sendable {
    public let options: ModelOptions
    public let url: URL
    /// The provider's name for error lines; nil keeps chat-completions wording.
    public let providerName: String?
    let transport: any HTTPTransport
    let sleep: @Sendable (Double) async throws -> Void
    let jitter: @Sendable () -> Double

    public init(options: ModelOptions, url: URL, providerName: String?, transport: any HTTPTransport,
                sleep: @escaping @Sendable (Double) async throws -> Void,
                jitter: @escaping @Sendable () -> Double) {
        self.options = options
        self.url = url
        self.providerName = providerName
        self.transport = transport
        self.sleep = sleep
        self.jitter = jitter
    }

    /// What came back: the 2xx response, how many attempts it took and the seconds it all took.
    public struct Sent: Sendable {
        public var response: TransportResponse
        public var attempts: Int
        public var latency: Double
    }

    func error(_ kind: ModelClientError.Kind, attempts: Int) -> ModelClientError {
        var kind = kind
        // A server echoing the key back (some proxies do) must not put it in an error line.
        if case .http(let status, let message) = kind {
            kind = .http(status: status, message: ModelProvider.scrub(message, key: options.apiKey))
        }
        return ModelClientError(kind: kind, endpoint: url.absoluteString, attempts: attempts, provider: providerName,
                                keyVariables: options.wire.keyVariables)
    }

    /// Posts `body` with `headers` (plus JSON content headers) until a 2xx arrives or retries run out.
    public func send(body: Data, headers extra: [String: String]) async throws(ModelClientError) -> Sent {
        var headers = ["Content-Type": "application/json", "Accept": "application/json", "User-Agent": "deskpilot"]
        for (k, v) in extra { headers[k] = v }
        let request = TransportRequest(url: url, method: "POST", headers: headers, body: body, timeout: options.timeout)
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw error(.cancelled, attempts: attempt - 1) }
            var failure: ModelClientError.Kind
            var retryAfter: Double?
            do {
                let response = try await transport.send(request)
                if response.body.count > options.maxReplyBytes {
                    throw error(.tooLarge(bytes: response.body.count, cap: options.maxReplyBytes), attempts: attempt)
                }
                if (200...299).contains(response.status) {
                    let elapsed = clock.now - start
                    let latency = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    return Sent(response: response, attempts: attempt, latency: latency)
                }
                failure = .http(status: response.status, message: Self.serverMessage(response.body, withType: providerName != nil))
                guard RetryPolicy.isRetryable(status: response.status) else { throw error(failure, attempts: attempt) }
                retryAfter = RetryPolicy.parseRetryAfter(response.headers["retry-after"])
            } catch let e as ModelClientError {
                throw e
            } catch let e as TransportError {
                switch e {
                case .timedOut: failure = .timedOut(seconds: options.timeout)
                case .connection(let why): failure = .unreachable(why)
                case .cancelled: throw error(.cancelled, attempts: attempt)
                }
            } catch {
                failure = .unreachable("\(error)")
            }
            guard attempt <= options.retry.maxRetries else { throw error(failure, attempts: attempt) }
            let wait = options.retry.delay(beforeRetry: attempt, retryAfter: retryAfter, jitter: jitter())
            do { try await sleep(wait) } catch { throw self.error(.cancelled, attempts: attempt) }
        }
    }

    /// A `badResponse` error for a 2xx body that does not have the provider's shape.
    public func bad(_ sent: Sent, _ reason: String) -> ModelClientError {
        error(.badResponse(status: sent.response.status, reason: reason), attempts: sent.attempts)
    }

    /// The server's own explanation: `error.message`, `error`, `message`, `detail`, or the body's start.
    static func serverMessage(_ body: Data, withType: Bool = false) -> String {
        if let json = JSONValue.parse(body) {
            if let m = json["error"]?["message"]?.string {
                if withType, let t = json["error"]?["type"]?.string, t != "error" { return "\(t): \(m)" }
                return m
            }
            if let m = json["error"]?.string { return m }
            if let m = json["message"]?.string { return m }
            if let m = json["detail"]?.string { return m }
        }
        let s = snippet(body)
        return s.isEmpty ? "(empty body)" : s
    }

    static func snippet(_ body: Data) -> String {
        let s = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let clean = String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : Character($0) })
        return body.count > 300 ? clean + "…" : clean
    }
}
