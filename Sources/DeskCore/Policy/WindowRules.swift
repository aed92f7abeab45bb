/// A policy's `windows`: which top-level windows actions may touch.
///
/// Pointer actions are judged by the window under each point; keys and typing by the focused window.
public struct WindowRules: Sendable, Hashable, Codable {
    /// When set, actions may touch only windows matching one of these; an unknown window is refused.
    public var allow: [WindowMatcher]?
    /// Windows actions must not touch.
    public var deny: [WindowMatcher]
    /// The allow-lists of the policies this one was intersected with: a window must also match each.
    public var floorAllow: [[WindowMatcher]] = []

    public init(allow: [WindowMatcher]? = nil, deny: [WindowMatcher] = []) {
        self.allow = allow
        self.deny = deny
    }
}
