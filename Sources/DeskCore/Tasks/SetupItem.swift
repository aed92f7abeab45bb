/// One `setup:` entry of a task, run in order before the steps.
public struct SetupItem: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// Run a command in the task's folder. `background` commands (GUI apps) are not waited for and are
        /// stopped when the run ends; others must exit 0 within `timeout` seconds.
        case run(TaskCommand, background: Bool, timeout: Double)
        /// Wait up to `timeout` seconds for a condition.
        case waitFor(WaitCondition, timeout: Double)
        /// Give keyboard focus to the first window matching.
        case focus(WindowMatcher)
    }

    public var kind: Kind
    /// Where the item is written, for error messages at run time.
    public var source: SourceLocation?

    /// How long a foreground setup command may run when the file gives no `timeout`.
    public static let defaultCommandTimeout = 60.0

    public init(_ kind: Kind, source: SourceLocation? = nil) {
        self.kind = kind
        self.source = source
    }
}
