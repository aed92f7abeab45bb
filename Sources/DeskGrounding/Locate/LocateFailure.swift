import DeskCore

/// The screen does not hold what a query needs (the text, its `--near` anchor, its `--within` window):
/// the command or step did not succeed (exit status 1).
public struct LocateFailure: DeskError {
    public var message: String
    /// Texts that were on the screen and came closest, for the error message.
    public var closest: [String]

    public init(_ message: String, closest: [String] = []) {
        self.message = message
        self.closest = closest
    }

    public var description: String {
        guard !closest.isEmpty else { return message }
        return message + "; closest texts seen: " + closest.map { "'\($0)'" }.joined(separator: ", ")
    }

    public var exitStatus: ExitStatus { .failure }
}
