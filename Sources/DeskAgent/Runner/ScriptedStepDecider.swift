import DeskCore

/// A scripted task's input step deciding (click, move, drag, scroll, key, type): its target is resolved
/// on the screen as the step starts, and the one action goes through the ``StepExecutor`` like any other.
///
/// A script cannot choose another way, so a denied or failed action ends the task (``DenialHandling/abort``).
public struct ScriptedStepDecider: Decider {
    /// The step as the task file writes it, with its source location.
    public let label: String
    /// The step's kind as the live output names it (`double_click`, `type`).
    public let kindName: String
    /// Resolves the step's target into the screen action and how its targets were found (throws when a
    /// target is not there).
    let resolve: @Sendable () throws -> (ScreenAction, [TraceGrounding])

    public var name: String { "the task" }
    public var denialHandling: DenialHandling { .abort }

    public init(label: String, kindName: String, resolve: @escaping @Sendable () throws -> ScreenAction) {
        self.label = label
        self.kindName = kindName
        self.resolve = { (try resolve(), []) }
    }

    /// A step whose targets were grounded (text, elements, images): the trace records how.
    public init(label: String, kindName: String, grounded: @escaping @Sendable () throws -> (ScreenAction, [TraceGrounding])) {
        self.label = label
        self.kindName = kindName
        self.resolve = grounded
    }

    public mutating func decide(_ observation: Observation, context: DecisionContext) async -> Decision {
        var decision: Decision
        do {
            let (action, grounding) = try resolve()
            var decided = DecidedAction(action: .success(action), label: label)
            decided.grounding = grounding.isEmpty ? nil : grounding
            decision = Decision(next: .act([decided]))
        } catch let stop as StoppedError {
            decision = .end(.stopped, stop.reason, error: stop.reason, reported: "failed", note: stop.reason)
        } catch {
            decision = .end(RunEnding.forError(error), "\(error)", error: "\(error)", reported: "failed", note: "\(error)")
        }
        decision.cost = DecisionCost(seconds: nil)
        decision.source = label
        decision.reportedAction = kindName
        return decision
    }
}
