import DeskCore
import Foundation

/// One HTTP response: a complete body, or a stream of chunks (Server-Sent Events) that ends the
/// connection when it finishes.
public struct DaemonResponse: Sendable {
    /// How the body is sent.
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Written as it comes; the connection closes after the last chunk (no keep-alive).
        case stream(AsyncStream<[UInt8]>)
    }

    public var status: HTTPStatus
    /// Header fields (names as written); `Content-Length` is added by the writer for complete bodies.
    public var headers: [(String, String)]
    public var body: Body

    public init(status: HTTPStatus, headers: [(String, String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The complete body (empty for streams).
    public var bodyBytes: [UInt8] {
        if case .bytes(let b) = body { return b }
        return []
    }

    /// A JSON body encoded with the daemon's conventions (snake_case keys are spelled by the types).
    public static func json<T: Encodable>(_ value: T, status: HTTPStatus = .ok) -> DaemonResponse {
        do {
            let data = try DaemonJSON.encoder.encode(value)
            return DaemonResponse(status: status, headers: [("Content-Type", "application/json")],
                                  body: .bytes([UInt8](data) + [0x0A]))
        } catch {
            return .error(.internalError, "cannot encode the response: \(error)")
        }
    }

    /// `{"error": message, "status": code}` with `status`.
    public static func error(_ status: HTTPStatus, _ message: String, extra: [(String, String)] = []) -> DaemonResponse {
        var r = json(APIErrorBody(error: message, status: status.code), status: status)
        r.headers += extra
        return r
    }

    /// A PNG image.
    public static func png(_ bytes: [UInt8]) -> DaemonResponse {
        DaemonResponse(status: .ok, headers: [("Content-Type", "image/png")], body: .bytes(bytes))
    }
}

/// The body of every error response.
public struct APIErrorBody: Codable, Sendable, Hashable {
    public var error: String
    public var status: Int

    public init(error: String, status: Int) {
        self.error = error
        self.status = status
    }
}

/// The JSON coders every part of the daemon's API uses, so the client reads what the server writes: the
/// project's one style (``JSONStyle``: snake_case keys spelled by each type, ISO 8601 times with
/// milliseconds, sorted keys, compact).
public enum DaemonJSON {
    public static var encoder: JSONEncoder { JSONStyle.encoder() }

    public static var decoder: JSONDecoder { JSONStyle.decoder() }
}
