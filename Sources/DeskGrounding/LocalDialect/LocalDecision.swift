import DeskCore

/// What the `local` dialect wants next, as a model's answer would say it.
public enum LocalDecision: Sendable, Hashable {
    /// Do these actions (root-window pixels) for step `step` (0-based), then observe again.
    case act([ScreenAction], step: Int, thought: String)
    /// Nothing to do yet (waiting for text to appear): observe again after `seconds`.
    case wait(seconds: Double, step: Int, thought: String)
    /// Every step is done.
    case finished(String)
}
