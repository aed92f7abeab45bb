/// Whether a suite ran its scripted solutions or handed each goal to a model.
public enum EvalMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each task's `steps:` (the reference solution).
    case scripted
    /// Each task's `goal:` through the agent loop (`run --agent`).
    case agent
}
