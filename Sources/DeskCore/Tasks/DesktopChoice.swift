/// What a headless run starts around its private Xvfb: a window manager, and the accessibility bus.
///
/// `bare` is the Xvfb alone (no window manager, no session bus; focus follows the pointer). `openbox` adds
/// openbox, a D-Bus session bus and the AT-SPI accessibility bus. Task files write `desktop: openbox`,
/// `desktop: bare` or `desktop: {wm: openbox, a11y: true}`; the CLI `--desktop openbox|bare`.
public struct DesktopChoice: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum WindowManager: String, Sendable, Hashable, Codable, CaseIterable {
        case none
        case openbox
    }

    public var windowManager: WindowManager
    /// Start the AT-SPI bus and give launched programs the toolkits' accessibility switches.
    public var accessibility: Bool

    public init(windowManager: WindowManager, accessibility: Bool) {
        self.windowManager = windowManager
        self.accessibility = accessibility
    }

    /// The private Xvfb alone, as every headless run was before desktops existed.
    public static let bare = DesktopChoice(windowManager: .none, accessibility: false)
    /// openbox, a session bus and the accessibility bus.
    public static let openbox = DesktopChoice(windowManager: .openbox, accessibility: true)

    /// The names `--desktop` and a task's `desktop:` scalar accept.
    public static let names = ["openbox", "bare"]

    /// `openbox` or `bare` (case-insensitive); nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "openbox": self = .openbox
        case "bare", "none": self = .bare
        default: return nil
        }
    }

    /// Whether anything beyond the Xvfb is started (a session bus comes with a WM or the accessibility bus).
    public var isBare: Bool { windowManager == .none && !accessibility }

    public var description: String {
        if self == .bare { return "bare" }
        if self == .openbox { return "openbox" }
        return "{wm: \(windowManager.rawValue), a11y: \(accessibility)}"
    }

    enum CodingKeys: String, CodingKey {
        case windowManager = "wm"
        case accessibility = "a11y"
    }
}
