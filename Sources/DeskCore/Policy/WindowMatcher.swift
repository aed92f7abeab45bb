/// Matches a top-level window by WM_CLASS and title (regexes, case-insensitive); both must match when both are given.
public struct WindowMatcher: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Matched against the WM_CLASS class and instance names (either may match).
    public var className: PolicyRegex?
    /// Matched against the window title (`_NET_WM_NAME`, falling back to `WM_NAME`).
    public var title: PolicyRegex?
    /// Shown to the model and in the trace.
    public var reason: String?
    /// Task files' `dialog_of: {class, name}`: the window must be a dialog (`WM_TRANSIENT_FOR`) of a window
    /// these match (class, title). Judged by ``TargetResolver``, which sees every window; policies leave it nil.
    public var dialogOfClass: PolicyRegex?
    public var dialogOfTitle: PolicyRegex?

    /// Whether the matcher names a parent window.
    public var namesParent: Bool { dialogOfClass != nil || dialogOfTitle != nil }

    public init(className: PolicyRegex? = nil, title: PolicyRegex? = nil, reason: String? = nil) {
        self.className = className
        self.title = title
        self.reason = reason
    }

    /// True when `window` matches every condition given; a matcher with no condition matches nothing.
    public func matches(_ window: PolicyWindow) -> Bool {
        guard className != nil || title != nil else { return false }
        if let className, !(className.matches(window.className) || (window.instanceName.map(className.matches) ?? false)) {
            return false
        }
        if let title, !title.matches(window.title) { return false }
        return true
    }

    public var description: String {
        var parts: [String] = []
        if let className { parts.append("class ~ /\(className.pattern)/") }
        if let title { parts.append("title ~ /\(title.pattern)/") }
        if namesParent {
            let parent = WindowMatcher(className: dialogOfClass, title: dialogOfTitle)
            parts.append("a dialog of [\(parent)]")
        }
        return parts.joined(separator: " and ")
    }

    enum CodingKeys: String, CodingKey {
        case className = "class", title, reason
        case dialogOfClass = "dialog_of_class", dialogOfTitle = "dialog_of_title"
    }
}
