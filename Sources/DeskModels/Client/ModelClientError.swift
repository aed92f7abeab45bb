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
        case cancelled
    }

    public var kind: Kind
    /// The URL the request went to.
    public var endpoint: String
    public var attempts: Int

    public init(kind: Kind, endpoint: String, attempts: Int) {
        self.kind = kind
        self.endpoint = endpoint
        self.attempts = attempts
    }

    public var description: String {
        let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        switch kind {
        case .unreachable(let why): return "model server \(endpoint) unreachable after \(tries): \(why)"
        case .timedOut(let s): return "model server \(endpoint) did not answer within \(s.formatted) s (\(tries))"
        case .http(let status, let message):
            var hint = ""
            if status == 404 { hint = " (is the endpoint the API base, such as http://host:8000/v1, and the model name right?)" }
            if status == 401 || status == 403 { hint = " (check DESKPILOT_API_KEY or OPENAI_API_KEY)" }
            return "model server \(endpoint) answered HTTP \(status) after \(tries): \(message)\(hint)"
        case .badResponse(let status, let reason):
            return "model server \(endpoint) answered HTTP \(status) with a body that is not a chat completion: \(reason)"
        case .invalidRequest(let why): return "cannot send to \(endpoint): \(why)"
        case .cancelled: return "request to \(endpoint) cancelled"
        }
    }

    /// Unreachable servers, timeouts, 5xx/429 and garbage answers are the environment (exit 3); a 4xx is a
    /// configuration mistake (wrong model name, key, endpoint path: exit 2).
    public var exitStatus: ExitStatus {
        switch kind {
        case .unreachable, .timedOut, .badResponse: return .environment
        case .http(let status, _): return RetryPolicy.isRetryable(status: status) ? .environment : .usage
        case .invalidRequest: return .usage
        case .cancelled: return .stopped
        }
    }
}
