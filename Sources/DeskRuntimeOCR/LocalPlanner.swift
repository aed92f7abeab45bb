import DeskCore
import DeskGrounding

/// The `local` dialect as the agent loop's model: DeskGrounding's ``LocalAgent`` for one goal, grounded
/// with the run's text grounder (the fused grounder: the accessibility tree first, then OCR; or OCR alone).
public final class LocalPlanner: ScreenPlanner, Sendable {
    public let agent: LocalAgent

    /// Reads `goal`; a goal it cannot read is a usage error (exit 2) naming the part.
    public init(goal: String, finder: any TextGrounder) throws(LocalPlanError) {
        agent = try LocalAgent(goal: goal, locator: finder)
    }

    public func next(frame: Frame, windows: [WindowSummary]) throws -> PlannerDecision {
        switch try agent.next(frame: frame, windows: windows) {
        case .act(let actions, _, let thought): return .act(actions, thought: thought)
        case .wait(let seconds, _, let thought): return .wait(seconds: seconds, thought: thought)
        case .finished(let message):
            // The final line already says "done:".
            return .finished(message.hasPrefix("done: ") ? String(message.dropFirst(6)) : message)
        }
    }

    /// The loop's planner factory for the `local` dialect.
    public static func factory(finder: any TextGrounder) -> @Sendable (String) throws -> any ScreenPlanner {
        { goal in try LocalPlanner(goal: goal, finder: finder) }
    }
}
