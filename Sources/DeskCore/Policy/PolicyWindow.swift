/// What the policy engine needs to know about a top-level window: the caller looks it up on the display.
public struct PolicyWindow: Sendable, Hashable, Codable {
    /// The X window id, when known; keys the typed-text stream per window.
    public var id: UInt64?
    /// WM_CLASS class name (`Gnome-terminal`); empty for the root window or when unset.
    public var className: String
    /// WM_CLASS instance name (`gnome-terminal`).
    public var instanceName: String?
    /// The window title.
    public var title: String

    public init(id: UInt64? = nil, className: String, instanceName: String? = nil, title: String) {
        self.id = id
        self.className = className
        self.instanceName = instanceName
        self.title = title
    }
}
