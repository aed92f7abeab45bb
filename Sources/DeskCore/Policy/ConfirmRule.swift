/// One `confirm` entry: when an action matches every condition given, a person must say yes first.
///
/// A rule with no condition is refused by the loader (it would ask about everything, including waits).
public struct ConfirmRule: Sendable, Hashable, Codable {
    /// The action is one of these kinds.
    public var actions: [ActionKind]?
    /// The chord pressed (with held modifiers) matches one of these (at least their modifiers).
    public var keys: [KeyChordPattern]?
    /// The typed stream with this action's text completes a match.
    public var text: PolicyRegex?
    /// The window the action touches matches one of these.
    public var windows: [WindowMatcher]?
    /// A point of the action falls inside one of these.
    public var regions: [Rect]?
    /// What the person is asked about.
    public var reason: String

    public init(actions: [ActionKind]? = nil, keys: [KeyChordPattern]? = nil, text: PolicyRegex? = nil,
                windows: [WindowMatcher]? = nil, regions: [Rect]? = nil, reason: String) {
        self.actions = actions
        self.keys = keys
        self.text = text
        self.windows = windows
        self.regions = regions
        self.reason = reason
    }

    /// True when the rule names at least one condition.
    public var hasCondition: Bool {
        actions != nil || keys != nil || text != nil || windows != nil || regions != nil
    }
}
