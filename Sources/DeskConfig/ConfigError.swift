import DeskCore

/// A mistake in a task or policy file, reported as `file:line:column: what is wrong`; exit status 2.
public struct ConfigError: DeskError, Equatable {
    /// Where the mistake is; `nil` when the file could not be read at all.
    public var location: SourceLocation?
    /// The file, for errors without a position.
    public var file: String
    /// What is wrong, in one line.
    public var message: String

    public init(file: String, location: SourceLocation?, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return "\(file): \(message)"
    }

    public var exitStatus: ExitStatus { .usage }
}
