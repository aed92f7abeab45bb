/// What a run does when the policy denies an action (`on_violation` in a policy file).
public enum ViolationMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Skip the action, tell the model why in its next turn, and continue.
    case feedback
    /// Stop the run with exit status 4.
    case abort
}
