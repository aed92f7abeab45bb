/// What started a run.
public enum RunKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// `deskpilot agent GOAL`: a model drives.
    case agent
    /// `deskpilot run TASK.yaml`: a scripted task (possibly with agent sub-goals).
    case task
    /// `deskpilot replay RUN_DIR`.
    case replay
    /// `deskpilot record`: a person demonstrated, deskpilot watched.
    case recording
}
