/// The policy's verdict on giving a window the keyboard focus (`act focus`, the `focus` task step's
/// equivalent outside a run). Focusing is no action kind of its own, so only the window rules apply.
public enum FocusJudgement {
    /// Judges focusing `window` (nil when the window could not be described) under `policy`'s window rules,
    /// with the same rule names and reasons as ``PolicyEngine``.
    public static func judge(_ window: PolicyWindow?, policy: Policy) -> PolicyDecision {
        if let window {
            for (index, matcher) in policy.windows.deny.enumerated() where matcher.matches(window) {
                let base = "the window '\(window.title)' (\(window.className)) is off limits"
                return PolicyDecision(verdict: .deny, rule: "windows.deny[\(index)]", ruleText: matcher.description,
                                      reason: matcher.reason.map { "\(base): \($0)" } ?? base,
                                      abortsRun: policy.onViolation == .abort)
            }
        }
        for allow in [policy.windows.allow].compactMap({ $0 }) + policy.windows.floorAllow {
            guard let window else {
                return PolicyDecision(verdict: .deny, rule: "windows.allow",
                                      reason: "the window to focus is unknown, and this policy allows only listed windows",
                                      abortsRun: policy.onViolation == .abort)
            }
            if !allow.contains(where: { $0.matches(window) }) {
                return PolicyDecision(verdict: .deny, rule: "windows.allow",
                                      ruleText: allow.map(\.description).joined(separator: "; "),
                                      reason: "the window '\(window.title)' (\(window.className)) is not among the allowed windows",
                                      abortsRun: policy.onViolation == .abort)
            }
        }
        return .allowed
    }
}
