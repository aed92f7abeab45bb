/// What the policy engine decided about one action, and why.
///
/// Kept apart from the policy engine's own types so traces do not depend on how policies evolve.
public struct TraceDecision: Sendable, Hashable, Codable {
    public var verdict: TraceVerdict
    /// The rule that decided (`blocked_keys[0]`, `regions.deny[1]`), if any.
    public var rule: String?
    public var reason: String?

    public init(verdict: TraceVerdict, rule: String? = nil, reason: String? = nil) {
        self.verdict = verdict
        self.rule = rule
        self.reason = reason
    }
}
