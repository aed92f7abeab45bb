import DeskCore

/// A chat completion that did not produce an answer, naming the endpoint and what happened.
public struct ModelClientError: DeskError, Hashable {
    public enum Kind: Sendable, Hashable {
        /// No connection (refused, DNS, reset) after every retry.
        case unreachable(String)
        /// No answer within the timeout, after every retry.
        case timedOut(seconds: Double)
        /// The server answered with an error status; `message` is its own explanation.
        case http(status: Int, message: String)
        /// The server answered 2xx with something that is not a chat completion.
        case badResponse(status: Int, reason: String)
        /// The request could not be built (no model name, unencodable body).
        case invalidRequest(String)
        /// The reply was larger than the cap (`--max-reply-bytes`); nothing of it was kept.
        case tooLarge(bytes: Int, cap: Int)
        case cancelled
    }

    public var kind: Kind
    /// The URL the request went to.
    public var endpoint: String
    public var attempts: Int
    /// The provider's name (`anthropic`, `openai-responses`); nil for chat completions, as before.
    public var provider: String?
    /// The variables the key is read from, for the 401/403 hint.
    public var keyVariables: [String]

    public init(kind: Kind, endpoint: String, attempts: Int, provider: String? = nil,
                keyVariables: [String] = ["OPENAI_API_KEY", "DESKPILOT_API_KEY"]) {
        self.kind = kind
        self.endpoint = endpoint
        self.attempts = attempts
        self.provider = provider
        self.keyVariables = keyVariables
    }

    var server: String { provider.map { "\($0) model server \(endpoint)" } ?? "model server \(endpoint)" }

    public var description: String {
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        switch kind {
        case .unreachable(let why): return "\(server) unreachable after \(tries): \(why)"
        case .timedOut(let s): return "\(server) did not answer within \(s.formatted) s (\(tries))"
        case .http(let status, let message):
            var hint = ""
            if status == 404 { hint = " (is the endpoint the API base, such as http://host:8000/v1, and the model name right?)" }
            if status == 401 || status == 403 { hint = " (check \(keyVariables.joined(separator: " or ")) or --api-key-file)" }
            return "\(server) answered HTTP \(status) after \(tries): \(message)\(hint)"
        case .badResponse(let status, let reason):
            let what = provider == nil ? "a chat completion" : "a \(provider!) reply"
            return "\(server) answered HTTP \(status) with a body that is not \(what): \(reason)"
        case .invalidRequest(let why): return "cannot send to \(endpoint): \(why)"
        case .tooLarge(let bytes, let cap):
            return "\(server) sent a reply of \(bytes) bytes, more than the \(cap)-byte cap (raise it with --max-reply-bytes)"
        case .cancelled: return "request to \(endpoint) cancelled"
        }
    }

    /// Unreachable servers, timeouts, 5xx/429 and garbage answers are the environment (exit 3); a 4xx is a
    /// configuration mistake (wrong model name, key, endpoint path: exit 2).
    public var exitStatus: ExitStatus {
        switch kind {
        case .unreachable, .timedOut, .badResponse, .tooLarge: return .environment
        case .http(let status, _): return RetryPolicy.isRetryable(status: status) ? .environment : .usage
        case .invalidRequest: return .usage
        case .cancelled: return .stopped
        }
    }
}
