/// Input a recorder saw, already read with the keymap in force at the time: what a ``DemonstrationBuilder``
/// turns into task steps.
public enum DemonstrationEvent: Sendable, Hashable {
    case key(RecordedKey)
    /// A pointer button went down. `site` numbers the press so the recorder can name its target later
    /// from what the screen showed just before it.
    case press(button: Int, at: Point, time: Double, site: Int, window: String?)
    case release(button: Int, at: Point, time: Double)
}

/// One key press as a person made it.
public struct RecordedKey: Sendable, Hashable {
    /// The keysym the key produced, by its canonical X name (`a`, `Return`, `Control_L`, `U20AC`).
    public var keysym: String
    /// The text the key types in the keymap and state in force, nil for keys that type nothing.
    public var text: String?
    /// Chord modifiers held when the key went down (shift is folded into `text` for printable keys).
    public var modifiers: Set<ModifierClass>
    public var time: Double
    /// The window that had the focus (an opaque name: id or class), for splitting typing runs.
    public var window: String?
    /// True when the focused field is a password field or a window the user marked as secret.
    public var secret: Bool

    public init(keysym: String, text: String?, modifiers: Set<ModifierClass> = [], time: Double,
                window: String? = nil, secret: Bool = false) {
        self.keysym = keysym
        self.text = text
        self.modifiers = modifiers
        self.time = time
        self.window = window
        self.secret = secret
    }
}

/// A task step a demonstration gave, before its pointer sites are named.
public enum RecordedStep: Sendable, Hashable {
    case click(site: Int, at: Point, button: MouseButton, count: Int)
    case drag(from: Int, fromPoint: Point, to: Point, button: MouseButton)
    case scroll(site: Int, at: Point, direction: ScrollDirection, notches: Int)
    /// Text typed into one window; `secret` runs are written as `${secret:…}` references, never in clear.
    case type(String, secret: Bool)
    case key(KeyChord)
}
