import DeskCore

/// What `deskpilot info` reports about a display.
public struct DisplayInfo: Sendable, Codable {
    public struct Keyboard: Sendable, Codable {
        public var rules: String
        public var model: String
        /// Comma-separated layouts as `setxkbmap -query` shows them (`us,ru`).
        public var layout: String
        public var variant: String
        public var options: String
        /// The active XKB group, 0-based (which of the layouts is in use).
        public var group: Int
    }

    public var display: String
    public var vendor: String
    public var screen: Size
    public var depth: Int
    public var monitors: [Monitor]
    /// Extension name → present.
    public var extensions: [String: Bool]
    /// The capture method that works on this display, and why SHM is not used when it is not.
    public var captureMethod: CaptureMethod
    public var captureFallbackReason: String?
    public var keyboard: Keyboard
    /// Whether an EWMH window manager claims the screen (`_NET_SUPPORTING_WM_CHECK`).
    public var windowManager: Bool
    /// Its `_NET_WM_NAME` (`Openbox`).
    public var windowManagerName: String?
    /// The D-Bus session bus programs on this display use (`DBUS_SESSION_BUS_ADDRESS`), if any.
    public var sessionBus: String?
    /// Whether that bus answers.
    public var sessionBusAnswers: Bool
    /// The AT-SPI accessibility bus (from the session bus's `org.a11y.Bus`, else the root's `AT_SPI_BUS`).
    public var accessibilityBus: String?
    /// Whether its registry answers: only then do toolkits publish an accessibility tree.
    public var accessibilityBusAnswers: Bool
    /// True when the server is Xwayland: input then reaches X clients only.
    public var xwayland: Bool
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case display, vendor, screen, depth, monitors, extensions, keyboard, xwayland, warnings
        case captureMethod = "capture_method"
        case captureFallbackReason = "capture_fallback_reason"
        case windowManager = "window_manager"
        case windowManagerName = "window_manager_name"
        case sessionBus = "session_bus"
        case sessionBusAnswers = "session_bus_answers"
        case accessibilityBus = "accessibility_bus"
        case accessibilityBusAnswers = "accessibility_bus_answers"
    }
}
