/// One `checks:` entry, evaluated after the steps; a task succeeds when every top-level check passes.
public struct Check: Sendable, Hashable, Codable {
    public indirect enum Kind: Sendable, Hashable, Codable {
        /// The file exists (absolute path, resolved against the task file).
        case fileExists(path: String)
        /// The file's text contains `text`.
        case fileContains(path: String, text: TaskText)
        /// The file's text matches the (case-sensitive, multi-line) regex.
        case fileMatches(path: String, regex: PolicyRegex)
        /// The file's bytes equal the fixture file's bytes.
        case fileEquals(path: String, fixture: String)
        /// Run the command; it must exit with `exitStatus` and its standard output must satisfy the options.
        case command(TaskCommand, exitStatus: Int32, outputContains: TaskText?, outputMatches: PolicyRegex?, timeout: Double)
        /// A top-level window matching the matcher is mapped (its title can be matched too).
        case window(WindowMatcher)
        /// The text is visible on screen (text grounder).
        case screenText(String)
        /// An element of the accessibility tree matching the query (every listed state holding) is showing.
        case element(ElementQuery)
        /// The element's text (or value, or else its name) contains `text` or matches `regex`.
        case elementText(ElementQuery, text: TaskText?, regex: PolicyRegex?)
        /// Every check passes.
        case all([Check])
        /// At least one check passes.
        case any([Check])
        /// The check fails.
        case not(Check)
    }

    public var kind: Kind
    /// Where the check is written, for the result report.
    public var source: SourceLocation?

    /// How long a check command may run when the file gives no `timeout`.
    public static let defaultCommandTimeout = 30.0

    public init(_ kind: Kind, source: SourceLocation? = nil) {
        self.kind = kind
        self.source = source
    }
}
