/// A policy's `actions`: which kinds of action may run at all.
///
/// Kinds are exact (`click` does not cover `double_click`). The terminal kinds (`finished`, `call_user`,
/// `infeasible`) are never blocked: they end a run rather than touch the desktop.
public struct ActionRules: Sendable, Hashable, Codable {
    /// When set, only these kinds may run (an allow-list).
    public var allow: [ActionKind]?
    /// Kinds that never run.
    public var deny: [ActionKind]

    public init(allow: [ActionKind]? = nil, deny: [ActionKind] = []) {
        self.allow = allow
        self.deny = deny
    }
}
