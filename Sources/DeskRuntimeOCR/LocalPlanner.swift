import DeskCore
import DeskGrounding

/// The `local` dialect as the agent loop's model: DeskGrounding's ``LocalAgent`` for one goal, grounded
/// with the run's shared text locator.
public final class LocalPlanner: ScreenPlanner, @unchecked Sendable {
    public let agent: LocalAgent

    /// Reads `goal`; a goal it cannot read is a usage error (exit 2) naming the part.
    public init(goal: String, finder: OCRTextFinder) throws(LocalPlanError) {
        agent = try LocalAgent(goal: goal, locator: finder.locator)
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
    public static func factory(finder: OCRTextFinder) -> @Sendable (String) throws -> any ScreenPlanner {
        { goal in try LocalPlanner(goal: goal, finder: finder) }
    }
}
