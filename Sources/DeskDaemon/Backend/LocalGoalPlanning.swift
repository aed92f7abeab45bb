import DeskAgent
import DeskCore

/// The offline `local` dialect for daemon and MCP jobs: it reads goals as steps and grounds them on the job's
/// screen. The executable provides it (the reader and the grounding live in modules DeskDaemon does not link);
/// without it a job must name a model endpoint.
public protocol LocalGoalPlanning: Sendable {
    /// Reads `goal` as the local planner would; throws a usage error naming the part it cannot read, so a
    /// goal the job could never run is refused before it is queued.
    func check(goal: String) throws
    /// The agent loop's planner factory for one job, grounded with that job's desktop.
    func planner(for desktop: Desktop) throws -> @Sendable (String) throws -> any ScreenPlanner
}
