import Foundation
import DeskCore

/// A top-level window as `deskpilot windows` lists it.
public struct WindowInfo: Sendable, Hashable, Codable {
    /// The X window id (shown in hex, `0x3a00007`).
    public var id: UInt
    /// WM_CLASS instance and class names (`xterm`, `XTerm`).
    public var instance: String
    public var className: String
    public var title: String
    /// Geometry in root-window pixels.
    public var rect: Rect
    public var focused: Bool
    public var pid: Int?
    /// The window with its window manager's decorations (`_NET_FRAME_EXTENTS` around ``rect``); nil on a
    /// bare server or when the WM sets no extents. ``rect`` — and `in_window` coordinates — stay the client area.
    public var frame: Rect?
    /// The window this one is a dialog of (`WM_TRANSIENT_FOR`), if any.
    public var transientFor: UInt?

    public init(id: UInt, instance: String, className: String, title: String, rect: Rect, focused: Bool, pid: Int?,
                frame: Rect? = nil, transientFor: UInt? = nil) {
        self.id = id
        self.instance = instance
        self.className = className
        self.title = title
        self.rect = rect
        self.focused = focused
        self.pid = pid
        self.frame = frame
        self.transientFor = transientFor
    }

    /// The id as `0x…`.
    public var hexID: String { "0x" + String(id, radix: 16) }

    /// Parses a window id written in hex (`0x3a00007`) or decimal.
    public static func parseID(_ text: String) -> UInt? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasPrefix("0x") { return UInt(t.dropFirst(2), radix: 16) }
        return UInt(t)
    }
}
