import DeskCore

/// A ``ScreenPlanner`` deciding in the model's place (the `local` dialect, scripted plans): its `.act`
/// decisions are steps, `.finished` is the last one, and `.wait` is no step — the executor shows it the
/// screen again once it changes.
///
/// A planner cannot choose another way, so a denied or failed action ends the run (``DenialHandling/abort``).
public struct PlannerDecider: Decider {
    public let planner: any ScreenPlanner
    let windows: any WindowLookup
    let redactor: Redactor

    public var name: String { "the planner" }
    public var denialHandling: DenialHandling { .abort }

    public init(planner: any ScreenPlanner, windows: any WindowLookup, redactor: Redactor) {
        self.planner = planner
        self.windows = windows
        self.redactor = redactor
    }

    public mutating func decide(_ observation: Observation, context: DecisionContext) async -> Decision {
        let frame = observation.frame
        let start = MonotonicClock.now()
        let next: PlannerDecision
        do {
            next = try planner.next(frame: frame, windows: windows.windows())
        } catch {
            var decision = Decision.end(RunEnding.forError(error), "\(error)", error: "\(error)", reported: "failed",
                                        note: "\(error)")
            let seconds = MonotonicClock.now() - start
            decision.cost.seconds = seconds
            decision.timings.modelMs = seconds * 1000
            return decision
        }
        // The planner's time is the step's "model" time.
        let seconds = MonotonicClock.now() - start
        let thought: String
        let actions: [ScreenAction]
        switch next {
        case .wait(let wait, _):
            return Decision(next: .wait(seconds: wait))
        case .finished(let message):
            thought = message
            actions = [.finished(message: message)]
        case .act(let list, let why):
            thought = why
            actions = list
        }
        // In the mapping's terms the planner answered in pixels of the frame it was shown.
        let mapping = try? CoordinateMapping(convention: .absoluteOnSent, screen: frame.rect, sentImage: frame.size)
        let decided = actions.map { action in
            let modelAction = action.mapPoints { ModelPoint(x: Double($0.x - frame.origin.x), y: Double($0.y - frame.origin.y)) }
            return DecidedAction(modelAction: modelAction, mapping: mapping,
                                 points: mapping.flatMap { try? $0.records(for: modelAction) }, action: .success(action))
        }
        var decision = Decision(next: .act(decided), thought: redactor.redact(thought),
                                cost: DecisionCost(seconds: seconds), timings: StepTimings(modelMs: seconds * 1000))
        // The planner's answer as a model would have written it, for the trace and the report.
        decision.answer = redactor.redact("Thought: \(thought)\nAction: "
            + actions.map { PolicyGate.describe($0) }.joined(separator: "; "))
        return decision
    }
}
