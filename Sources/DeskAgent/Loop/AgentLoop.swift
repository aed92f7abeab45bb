import DeskCore
import DeskModels

/// One goal, driven to its end by a ``Decider`` — a model, a planner — through the ``StepExecutor``: observe
/// → decide → policy gate → confirmation → act → settle → record, until the decider says it is done, asks
/// for a person, gives up, or a limit, a stop request or a lack of progress ends it.
///
/// The loop makes a fresh decider for each goal it is given (a task's sub-goals each get their own).
public final class AgentLoop: Sendable {
    public let configuration: AgentConfiguration
    /// Makes the decider for a goal (it throws a usage error naming the part of the goal it cannot read).
    public let makeDecider: @Sendable (String) throws -> any Decider
    public let executor: ActionExecutor
    public let trace: RunTrace
    public let reporter: any StepReporter
    public let redactor: Redactor
    /// What the observation mode adds to each screenshot.
    public let enrichers: [any ObservationEnricher]

    public init(configuration: AgentConfiguration, decider: @escaping @Sendable (String) throws -> any Decider,
                executor: ActionExecutor, trace: RunTrace, reporter: any StepReporter, redactor: Redactor,
                enrichers: [any ObservationEnricher] = []) {
        self.configuration = configuration
        self.makeDecider = decider
        self.executor = executor
        self.trace = trace
        self.reporter = reporter
        self.redactor = redactor
        self.enrichers = enrichers
    }

    /// A loop where a model decides, through `dialect` (a ``ModelDecider``).
    public convenience init(configuration: AgentConfiguration, dialect: Dialect, client: any ModelCompleting,
                            executor: ActionExecutor, trace: RunTrace, reporter: any StepReporter, redactor: Redactor,
                            enrichers: [any ObservationEnricher] = []) {
        let codec = executor.desktop.codec
        self.init(configuration: configuration,
                  decider: { _ in ModelDecider(dialect: dialect, model: client, configuration: configuration, codec: codec,
                                               redactor: redactor) },
                  executor: executor, trace: trace, reporter: reporter, redactor: redactor, enrichers: enrichers)
    }

    /// A loop where a planner decides: `planner` makes one for each goal (a ``PlannerDecider``).
    public convenience init(configuration: AgentConfiguration, dialect: Dialect = .local,
                            planner: @escaping @Sendable (String) throws -> any ScreenPlanner, executor: ActionExecutor,
                            trace: RunTrace, reporter: any StepReporter, redactor: Redactor) {
        let windows = executor.desktop.windows
        self.init(configuration: configuration,
                  decider: { goal in PlannerDecider(planner: try planner(goal), windows: windows, redactor: redactor) },
                  executor: executor, trace: trace, reporter: reporter, redactor: redactor)
    }

    /// Runs the loop for `goal`. Steps are numbered from `firstStep` (a task's sub-goal continues the task's
    /// numbering); `maxSteps` overrides the configuration's cap; `startedAt` (monotonic seconds) is when the
    /// run began, for `maxDuration`.
    public func run(goal: String, firstStep: Int = 1, maxSteps: Int? = nil,
                    startedAt: Double = MonotonicClock.now()) async -> AgentOutcome {
        let decider: any Decider
        do {
            decider = try makeDecider(goal)
        } catch {
            return AgentOutcome(ending: RunEnding.forError(error), reason: redactor.redact("\(error)"), steps: 0,
                                promptTokens: 0, completionTokens: 0)
        }
        let steps = StepExecutor(configuration: configuration, actions: executor, trace: trace, reporter: reporter,
                                 redactor: redactor, enrichers: enrichers)
        return await steps.run(goal: goal, decider: decider, firstStep: firstStep,
                               cap: maxSteps ?? configuration.maxSteps, startedAt: startedAt)
    }
}
