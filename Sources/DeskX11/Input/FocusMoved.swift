import DeskCore

/// The window receiving typed text changed in the middle of a `type`: the rest was not sent and nothing is
/// held (exit 4, as a policy denial: the new window was never judged).
public struct FocusMoved: DeskError {
    /// The window that has the keyboard now, as `0x… 'title' (class)`.
    public var window: String
    public var typed: Int
    public var total: Int

    public init(window: String, typed: Int, total: Int) {
        self.window = window
        self.typed = typed
        self.total = total
    }

    public var description: String {
        "denied: focus moved to \(window) while typing; \(typed) of \(total) characters were sent, the rest was not"
    }

    public var exitStatus: ExitStatus { .policy }
}
