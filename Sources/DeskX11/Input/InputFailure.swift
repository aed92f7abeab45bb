import DeskCore

/// An input action that ran but did not take effect: the paste target never fetched the text, the window
/// did not take the focus. Exit status 1 (the task did not succeed), not an input or environment error.
public struct InputFailure: DeskError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var exitStatus: ExitStatus { .failure }
}
