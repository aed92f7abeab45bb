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
    public var windowManager: Bool
    /// True when the server is Xwayland: input then reaches X clients only.
    public var xwayland: Bool
    public var warnings: [String]
}
