/// What the policy engine says about one action, with the rule that decided and why.
public struct PolicyDecision: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The engine's answer.
    public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        /// Run it.
        case allow
        /// Do not run it; see ``PolicyDecision/abortsRun`` for whether the run goes on.
        case deny
        /// Ask a person; run it only on a yes.
        case confirm
        /// Too fast for `max_actions_per_minute`: wait ``PolicyDecision/delaySeconds`` and evaluate again.
        case delay
        /// A run limit (`max_steps`, `max_duration`) is reached: end the run as not succeeded (exit 1).
        case limit
    }

    public var verdict: Verdict
    /// Where the deciding rule lives in the policy (`keys.deny[2]`, `limits.max_steps`); `nil` when no rule objected.
    public var rule: String?
    /// The rule as written (`ctrl+alt+delete`, a regex, a rectangle), for the trace.
    public var ruleText: String?
    /// One sentence for the model and the trace.
    public var reason: String
    /// For ``Verdict/delay``: seconds to wait before evaluating again.
    public var delaySeconds: Double?
    /// True for a denial under `on_violation: abort`: the run stops with exit status 4.
    public var abortsRun: Bool

    public init(verdict: Verdict, rule: String? = nil, ruleText: String? = nil, reason: String,
                delaySeconds: Double? = nil, abortsRun: Bool = false) {
        self.verdict = verdict
        self.rule = rule
        self.ruleText = ruleText
        self.reason = reason
        self.delaySeconds = delaySeconds
        self.abortsRun = abortsRun
    }

    /// The plain allow decision.
    public static let allowed = PolicyDecision(verdict: .allow, reason: "allowed")

    public var description: String {
        var text = verdict.rawValue
        if let rule { text += " by \(rule)" }
        if let ruleText { text += " (\(ruleText))" }
        return text + ": " + reason
    }

    /// What the trace records once the caller has acted on this decision.
    ///
    /// - Parameters:
    ///   - dryRun: the run only records actions.
    ///   - personSaidYes: the person's answer to a ``Verdict/confirm`` (`nil` when not asked).
    public func outcome(dryRun: Bool, personSaidYes: Bool? = nil) -> PolicyOutcome {
        switch verdict {
        case .deny, .limit, .delay: return .deny
        case .confirm:
            if dryRun { return .dryRun }
            return personSaidYes == true ? .confirmed : .deniedByPerson
        case .allow: return dryRun ? .dryRun : .allow
        }
    }
}

/// The final fate of an action as the trace records it.
public enum PolicyOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case allow
    case deny
    case confirmed
    case deniedByPerson = "denied-by-person"
    case dryRun = "dry-run"
}
