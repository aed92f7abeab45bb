import DeskCore

/// A client could not talk to the daemon, or the daemon refused the request.
public struct DaemonClientError: DeskError, Hashable {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// No socket file: no daemon runs for this display (exit 3).
        case noDaemon
        /// The socket exists but nobody answers (a daemon that died; exit 3).
        case notAnswering
        /// The connection broke or timed out (exit 3).
        case connection
        /// The daemon answered with an error status (exit 2 for 4xx, 3 for 5xx).
        case http(Int)
        /// The daemon's answer could not be read (exit 3).
        case protocolError
    }

    public var kind: Kind
    public var socketPath: String
    public var message: String

    public init(_ kind: Kind, socketPath: String, message: String) {
        self.kind = kind
        self.socketPath = socketPath
        self.message = message
    }

    public var description: String {
        switch kind {
        case .noDaemon: return "no daemon is running (no socket at \(socketPath)); start one with 'deskpilot serve'"
        case .notAnswering:
            return "no daemon answers on \(socketPath) (\(message)); start one with 'deskpilot serve'"
        case .connection: return "lost the connection to the daemon at \(socketPath): \(message)"
        case .http(let status): return "the daemon refused (\(status)): \(message)"
        case .protocolError: return "cannot read the daemon's answer on \(socketPath): \(message)"
        }
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .http(let status) where status == 409 || (400..<500).contains(status): return .usage
        default: return .environment
        }
    }
}
