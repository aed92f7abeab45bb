import Foundation

/// Sends one HTTP request and returns the response; ``URLSessionTransport`` in production, anything
/// (a closure, a recording) in tests that should run without sockets.
public protocol HTTPTransport: Sendable {
    /// Returns the response for any status; throws ``TransportError`` only when no response arrived.
    func send(_ request: TransportRequest) async throws(TransportError) -> TransportResponse
}

/// One HTTP request as the client builds it.
public struct TransportRequest: Sendable, Hashable {
    public var url: URL
    public var method: String
    /// Header names as written; never logged (one holds the API key).
    public var headers: [String: String]
    public var body: Data
    /// Seconds to wait for the whole response.
    public var timeout: Double

    public init(url: URL, method: String = "POST", headers: [String: String] = [:], body: Data = Data(), timeout: Double = 60) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// One HTTP response.
public struct TransportResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }
}

/// Why no HTTP response arrived.
public enum TransportError: Error, Sendable, Hashable {
    /// Nothing came back within the timeout.
    case timedOut
    /// The connection could not be made or broke (refused, DNS, reset); the text says which.
    case connection(String)
    /// The task was cancelled.
    case cancelled
}

/// A transport built from a closure, for tests without sockets.
public struct ClosureTransport: HTTPTransport {
    let handler: @Sendable (TransportRequest) async throws(TransportError) -> TransportResponse

    public init(_ handler: @escaping @Sendable (TransportRequest) async throws(TransportError) -> TransportResponse) {
        self.handler = handler
    }

    public func send(_ request: TransportRequest) async throws(TransportError) -> TransportResponse {
        try await handler(request)
    }
}
