import DeskCore

/// One task file of a suite.
public struct EvalSuiteEntry: Sendable, Hashable {
    /// The path relative to the suite folder without `.yaml`: `terminal/echo-to-file`.
    public var id: String
    /// The first folder of the id, or `ungrouped`.
    public var group: String
    /// Relative to the suite folder: `terminal/echo-to-file.yaml`.
    public var file: String
    /// Absolute.
    public var path: String

    public init(id: String, group: String, file: String, path: String) {
        self.id = id
        self.group = group
        self.file = file
        self.path = path
    }
}
