/// The process exit codes of the CLI contract (see DESIGN.md).
public enum ExitStatus: Int32, Sendable, Codable, CaseIterable {
    /// The command or run succeeded.
    case success = 0
    /// The task did not succeed: a check failed, the model gave up, limits reached, no progress.
    case failure = 1
    /// Usage or input error: bad flag, bad task or policy file, coordinates off screen.
    case usage = 2
    /// Environment error: no display, missing extension, model server unreachable.
    case environment = 3
    /// Stopped by policy (`on_violation: abort`).
    case policy = 4
    /// The model asked for a person and none answered.
    case needsUser = 5
    /// Stopped: kill hotkey, `deskpilot stop`, SIGINT or SIGTERM.
    case stopped = 130
}

/// An error that knows which exit status it maps to; its description is the one line the CLI prints.
public protocol DeskError: Error, CustomStringConvertible, Sendable {
    var exitStatus: ExitStatus { get }
}

/// A plain input error (exit 2) with a message that says what and where.
public struct InputError: DeskError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var exitStatus: ExitStatus { .usage }
}

/// A plain environment error (exit 3): something about the machine, display or network.
public struct EnvironmentError: DeskError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var exitStatus: ExitStatus { .environment }
}
