import DeskCore

/// The window receiving typed text or a key chord changed in the middle of it: the rest was not sent and
/// nothing is held (exit 4, as a policy denial: the new window was never judged).
public struct FocusMoved: DeskError {
    /// The window that has the keyboard now, as `0x… 'title' (class)`.
    public var window: String
    public var typed: Int
    public var total: Int
    /// What was interrupted: `typing`, `the key chord 'ctrl+alt+t'`.
    public var during: String
    /// What `typed` and `total` count: characters, keys.
    public var unit: String

    public init(window: String, typed: Int, total: Int, during: String = "typing", unit: String = "characters") {
        self.window = window
        self.typed = typed
        self.total = total
        self.during = during
        self.unit = unit
    }

    public var description: String {
        "denied: focus moved to \(window) \(during == "typing" ? "while typing" : "during \(during)"); \(typed) of \(total) \(unit) were sent, the rest was not"
    }

    public var exitStatus: ExitStatus { .policy }
}

/// A key switched MouseKeys on (a level whose keysym is `Pointer_EnableKeys`, such as shift+Num_Lock on
/// common layouts): deskpilot switched it back at once, since keypad keys would then click unjudged.
public struct MouseKeysSwitched: DeskError {
    public var key: String
    public var nowOn: Bool

    public var description: String {
        "denied: '\(key)' switched MouseKeys \(nowOn ? "on" : "off") (its keymap level is a Pointer_ key); deskpilot switched it back \(nowOn ? "off" : "on") (keypad keys would click and move the pointer unjudged)"
    }

    public var exitStatus: ExitStatus { .policy }
}
