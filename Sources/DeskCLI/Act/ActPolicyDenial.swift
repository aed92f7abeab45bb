import DeskCore

/// An `act` command the policy refused (exit 4), with the rule and the reason.
struct ActPolicyDenial: DeskError {
    var policy: String
    var action: String
    var decision: PolicyDecision
    var outcome: PolicyOutcome
    var note: String?

    var description: String {
        let verdict = outcome == .deniedByPerson ? (note == nil ? "refused by the person asked" : "not confirmed") : "refused"
        var rule = decision.rule.map { " by \($0)" } ?? ""
        if let text = decision.ruleText { rule += " (\(text))" }
        return "\(action): \(verdict) by policy '\(policy)'\(rule): \(note ?? decision.reason)"
    }

    var exitStatus: ExitStatus { .policy }
}
