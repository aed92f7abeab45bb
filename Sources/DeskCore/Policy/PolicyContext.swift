/// The facts about the moment an action would run, gathered by the caller so the engine reads no clock and
/// touches no display.
public struct PolicyContext: Sendable, Hashable {
    /// Seconds on a monotonic clock (the same clock as the engine's `startedAt`).
    public var now: Double
    /// The step number (1-based) the action belongs to.
    public var step: Int
    /// True when the run only records what it would do.
    public var dryRun: Bool
    /// The window with keyboard focus (judged for keys and typing); `nil` when unknown.
    public var focusedWindow: PolicyWindow?
    /// The top-level window under each of the action's points, in the order of ``Action/points``.
    public var windowsAtPoints: [PolicyWindow?]
    /// Where the pointer is now, for clicks and scrolls that give no point.
    public var pointer: Point?
    /// The top-level window under the pointer now, for clicks and scrolls that give no point.
    public var pointerWindow: PolicyWindow?
    /// For a drag, the top-level windows under points along its path (see ``DragPath``).
    public var pathWindows: [PolicyWindow?] = []
    /// For a paste chord or a middle click, what each selection it may paste from holds.
    public var pasted: [PasteContent] = []
    /// For a key chord with Shift or AltGr (and no other modifier), what it types on the display's keymap;
    /// nil when the caller could not read it (the engine then assumes a US layout).
    public var keymapCharacter: Character?
    /// For keys, whether MouseKeys is on: keypad keys then act as pointer buttons and motion.
    public var mouseKeysOn = false

    public init(now: Double, step: Int, dryRun: Bool = false, focusedWindow: PolicyWindow? = nil,
                windowsAtPoints: [PolicyWindow?] = [], pointer: Point? = nil, pointerWindow: PolicyWindow? = nil) {
        self.now = now
        self.step = step
        self.dryRun = dryRun
        self.focusedWindow = focusedWindow
        self.windowsAtPoints = windowsAtPoints
        self.pointer = pointer
        self.pointerWindow = pointerWindow
    }
}
