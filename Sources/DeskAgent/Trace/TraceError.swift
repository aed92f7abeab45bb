import DeskCore

/// A trace file could not be written (disk full, permissions): exit 3, naming the path.
public struct TraceError: DeskError {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "trace: cannot write \(path): \(reason)" }
    public var exitStatus: ExitStatus { .environment }
}
