/// A request the API refuses, with the status and a message that says what to change.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: HTTPStatus
    public var message: String

    public init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code): \(message)" }

    /// The error as a response.
    public var response: DaemonResponse { .error(status, message) }
}
