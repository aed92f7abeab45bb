/// A "vision model" that runs on this machine and needs no network: the `local` dialect, which reads its
/// goal into steps and grounds each on the screen it is shown.
///
/// The agent loop drives it exactly as it drives a model: it shows it every new observation, records each
/// decision in the trace as a step with a thought and actions, and sends every action through the policy
/// gate. One planner serves one goal.
public protocol ScreenPlanner: AnyObject, Sendable {
    /// The decision for the screen `frame`; `windows` are the top-level windows, bottom to top.
    /// - Throws: a `DeskError` when a step's target is not on the screen (exit status 1) or the OCR data is
    ///   missing (exit status 3).
    func next(frame: Frame, windows: [WindowSummary]) throws -> PlannerDecision
}
