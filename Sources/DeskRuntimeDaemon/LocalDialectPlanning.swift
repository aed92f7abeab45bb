import DeskAgent
import DeskCore
import DeskDaemon
import DeskGrounding
import DeskRuntimeOCR

/// The `local` dialect for daemon and MCP jobs, as `run` and `agent` use it: goals read by DeskGrounding's
/// ``LocalPlan``, grounded with the job's own text grounder (the accessibility tree, then OCR).
public struct LocalDialectPlanning: LocalGoalPlanning {
    public init() {}

    public func check(goal: String) throws {
        _ = try LocalPlan.parse(goal)
    }

    public func planner(for desktop: Desktop) throws -> @Sendable (String) throws -> any ScreenPlanner {
        guard let grounder = desktop.textFinder as? any TextGrounder else {
            throw EnvironmentError("the local dialect needs the job's text grounding, which this display lacks")
        }
        return LocalPlanner.factory(finder: grounder)
    }
}
