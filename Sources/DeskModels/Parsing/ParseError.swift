import DeskCore

/// Why a model's answer could not be turned into actions, and where.
///
/// The agent loop sends ``description`` back to the model, so it says what was expected, not just
/// what was wrong. Positions count characters (grapheme clusters) from the start of the answer;
/// lines and columns are 1-based.
public struct ParseError: DeskError, Hashable {
    public var message: String
    /// Character offset of the problem in the raw answer.
    public var offset: Int
    public var line: Int
    public var column: Int
    /// The line the problem is on, for humans reading a trace.
    public var excerpt: String

    public init(message: String, offset: Int, line: Int, column: Int, excerpt: String) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
        self.excerpt = excerpt
    }

    public var description: String { "line \(line), column \(column): \(message)" }
    /// A parse failure the loop could not recover from ends the run as not successful.
    public var exitStatus: ExitStatus { .failure }
}
