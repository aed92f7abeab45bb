import DeskCore

/// An error from the X server or the connection to it, with the display it happened on.
public struct X11Error: DeskError {
    /// What went wrong, coarsely, so callers can react (fall back from SHM, report a missing extension).
    public enum Code: String, Sendable {
        case cannotOpenDisplay
        case noDisplayConfigured
        case waylandWithoutXwayland
        case extensionMissing
        case requestFailed
        case connectionLost
        case badArgument
    }

    public var code: Code
    public var display: String
    public var detail: String

    public init(_ code: Code, display: String, _ detail: String) {
        self.code = code
        self.display = display
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .noDisplayConfigured, .waylandWithoutXwayland: detail
        default: "display \(display): \(detail)"
        }
    }

    public var exitStatus: ExitStatus { code == .badArgument ? .usage : .environment }
}
