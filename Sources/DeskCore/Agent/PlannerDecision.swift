/// What a ``ScreenPlanner`` wants next, as a model's answer would say it.
public enum PlannerDecision: Sendable, Hashable {
    /// Perform these actions (root-window pixels), then observe again.
    case act([ScreenAction], thought: String)
    /// Nothing to do yet (waiting for text to appear): observe again after at most `seconds`, or as soon as
    /// the screen changes.
    case wait(seconds: Double, thought: String)
    /// Every step is done.
    case finished(String)
}
