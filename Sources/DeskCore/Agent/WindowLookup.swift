/// Answers "which window is where" for policies, task targets and checks.
public protocol WindowLookup: AnyObject, Sendable {
    /// Top-level windows, bottom to top in stacking order.
    func windows() -> [WindowSummary]
    /// The topmost top-level window containing `point`.
    func window(at point: Point) -> WindowSummary?
    /// The window that has the keyboard focus.
    func focusedWindow() -> WindowSummary?
    /// Where the pointer is, in root-window pixels.
    func pointer() -> Point?
    /// What pasting `selection` (`CLIPBOARD`, `PRIMARY`) would insert now.
    func pasteContent(selection: String) -> PasteContent
    /// Whether MouseKeys is on (keypad keys then click and move the pointer).
    func mouseKeysEnabled() -> Bool
    /// What `chord` (a key with Shift and/or AltGr) types on the display's keymap, pressed the way deskpilot
    /// presses it — `/` for shift+7 on a German layout — or nil when it types nothing or nobody can tell.
    func typedCharacter(of chord: KeyChord) -> Character?
}

extension WindowLookup {
    public func pasteContent(selection: String) -> PasteContent { .notRead }
    public func mouseKeysEnabled() -> Bool { false }
    public func typedCharacter(of chord: KeyChord) -> Character? { nil }
}
