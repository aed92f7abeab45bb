import DeskCore

/// One RandR monitor: a named rectangle of the root window (a CRTC, or a virtual monitor from `xrandr --setmonitor`).
public struct Monitor: Sendable, Hashable, Codable {
    public var name: String
    public var rect: Rect
    public var primary: Bool

    public init(name: String, rect: Rect, primary: Bool) {
        self.name = name
        self.rect = rect
        self.primary = primary
    }
}
