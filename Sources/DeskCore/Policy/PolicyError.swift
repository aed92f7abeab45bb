/// A policy that cannot be built or evaluated as written (bad regex, bad chord pattern, contradiction); exit 2.
///
/// The loader in DeskConfig adds the file, line and column in front of ``message``.
public struct PolicyError: DeskError, Equatable {
    /// What is wrong, in one line.
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
    public var exitStatus: ExitStatus { .usage }
}
