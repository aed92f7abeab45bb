/// A top-level window as the loop, the runner and the policy engine see it.
public struct WindowSummary: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The X window id.
    public var id: UInt
    /// WM_CLASS instance name (`xterm`).
    public var instance: String
    /// WM_CLASS class name (`XTerm`).
    public var className: String
    public var title: String
    /// Geometry in root-window pixels.
    public var rect: Rect
    /// The window this one is a dialog of (`WM_TRANSIENT_FOR`).
    public var transientFor: UInt?

    public init(id: UInt, instance: String, className: String, title: String, rect: Rect, transientFor: UInt? = nil) {
        self.id = id
        self.instance = instance
        self.className = className
        self.title = title
        self.rect = rect
        self.transientFor = transientFor
    }

    /// The id as `0x…`, as the CLI prints window ids.
    public var hexID: String { "0x" + String(id, radix: 16) }

    public var description: String { "\(hexID) \(className.isEmpty ? instance : className) '\(title)'" }

    /// True when `name` is the window's WM_CLASS class or instance name (case-insensitive).
    public func hasClass(_ name: String) -> Bool {
        className.caseInsensitiveCompare(name) == .orderedSame || instance.caseInsensitiveCompare(name) == .orderedSame
    }
}
