import DeskCore

/// One way of deciding what a run does next: a model (``ModelDecider``), a planner (``PlannerDecider``).
///
/// The ``StepExecutor`` calls ``decide(_:context:)`` once per observation and does everything else a step
/// does — the policy gate, confirmation, input, settle, the trace, the live output — the same way for all.
/// A decider is made for one goal and used by one task, so it may keep what it learns between steps.
public protocol Decider {
    /// Who decides, for the reasons the run ends with ("the model says the goal is done").
    var name: String { get }
    /// What a denied or failed action does.
    var denialHandling: DenialHandling { get }
    /// The next decision for `observation`, with what it cost.
    mutating func decide(_ observation: Observation, context: DecisionContext) async -> Decision
    /// What became of the last decision's actions, as the trace records them (by index in the decision).
    mutating func learn(from records: [TraceAction])
}

extension Decider {
    /// Deciders that hear about denials through ``DecisionContext/feedback`` need nothing more.
    public mutating func learn(from records: [TraceAction]) {}
}

/// What a decider knows about the run besides the screen.
public struct DecisionContext: Sendable {
    public var goal: String
    /// The number of the step being decided.
    public var step: Int
    /// The run's earlier steps, oldest first.
    public var history: [PastStep]
    /// What the last step has to tell the decider: denials, failures, no progress, a person's answer.
    public var feedback: [String]
    /// Tokens the run has used so far.
    public var promptTokens: Int
    public var completionTokens: Int

    public init(goal: String, step: Int, history: [PastStep] = [], feedback: [String] = [], promptTokens: Int = 0,
                completionTokens: Int = 0) {
        self.goal = goal
        self.step = step
        self.history = history
        self.feedback = feedback
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// One earlier step of the run, as the executor recorded it.
public struct PastStep: Sendable, Hashable {
    public var step: Int
    public var answer: String?
    public var thought: String?
    /// The actions as described in the trace.
    public var actions: [String]
    /// Whether the screen changed after the last action (nil when none ran).
    public var screenChanged: Bool?

    public init(step: Int, answer: String?, thought: String?, actions: [String], screenChanged: Bool?) {
        self.step = step
        self.answer = answer
        self.thought = thought
        self.actions = actions
        self.screenChanged = screenChanged
    }
}

/// A decider's answer for one observation.
public struct Decision: Sendable {
    public enum Next: Sendable {
        /// Run these actions in order (terminal ones — finished, infeasible, call_user — end the list).
        case act([DecidedAction])
        /// Nothing to do yet: observe again when the screen changes, after `seconds` at most. Not a step.
        case wait(seconds: Double)
        /// The decider cannot go on: the step is recorded and the run ends.
        case end(DecisionEnd)
    }

    public var next: Next
    /// The reasoning, as the trace and the live output show it.
    public var thought: String?
    /// The raw answer (a model's text), for the trace.
    public var answer: String?
    /// The PNG the decider sent (the trace keeps it as the step's frame); nil keeps the observed frame.
    public var sentImage: [UInt8]?
    /// The request as the trace records it.
    public var request: TraceRequest?
    public var parseError: String?
    /// The step's note in the trace (the feedback the decider was given).
    public var note: String?
    /// What to tell the decider when the decision has no action (nil: say nothing).
    public var noActionFeedback: String?
    /// Where the step comes from (a task file's step and line), for the trace and as the live output's target
    /// when the step ends before acting.
    public var source: String?
    /// The live output's name for the step's action; nil names the actions' kinds.
    public var reportedAction: String?
    public var cost: DecisionCost
    /// The decider's stage times (encode, request, model, parse).
    public var timings: StepTimings

    public init(next: Next, thought: String? = nil, answer: String? = nil, cost: DecisionCost = DecisionCost(),
                timings: StepTimings = StepTimings()) {
        self.next = next
        self.thought = thought
        self.answer = answer
        self.cost = cost
        self.timings = timings
    }

    /// A decision that ends the run.
    public static func end(_ ending: RunEnding, _ reason: String, error: String? = nil, reported: String? = nil,
                           note: String? = nil) -> Decision {
        Decision(next: .end(DecisionEnd(ending: ending, reason: reason, error: error, reported: reported, note: note)))
    }
}

/// How and why a decider ends the run.
public struct DecisionEnd: Sendable {
    public var ending: RunEnding
    public var reason: String
    /// The error the trace records for the step.
    public var error: String?
    /// The live output's decision for the step ("parse error", "failed"); nil prints no step line.
    public var reported: String?
    /// The live output's note for the step.
    public var note: String?

    public init(ending: RunEnding, reason: String, error: String? = nil, reported: String? = nil, note: String? = nil) {
        self.ending = ending
        self.reason = reason
        self.error = error
        self.reported = reported
        self.note = note
    }
}

/// One action of a decision: the screen action, and how the decider's own terms mapped onto the screen.
public struct DecidedAction: Sendable {
    /// The action in the decider's terms (a model's coordinates), for the trace.
    public var modelAction: ModelAction?
    public var mapping: CoordinateMapping?
    public var points: [MappedPoint]?
    /// The screen action, or why the decider's action has no place on the screen.
    public var action: Result<ScreenAction, UnmappableAction>
    /// How the trace and the live output name the action; nil describes the screen action.
    public var label: String?
    /// How a scripted step's targets were found (which grounder), for the trace.
    public var grounding: [TraceGrounding]?
    /// The Set-of-Mark mark the model named instead of coordinates, for the trace.
    public var mark: Int?
    /// The group the action belongs to (one tool call): with ``DenialHandling/skipGroup`` a denial or failure
    /// leaves out the rest of its group only.
    public var group: Int?
    /// What undoes the group's held keys and buttons when it is cut short (its releases).
    public var groupCleanup: [ScreenAction] = []

    public init(modelAction: ModelAction? = nil, mapping: CoordinateMapping? = nil, points: [MappedPoint]? = nil,
                action: Result<ScreenAction, UnmappableAction>, label: String? = nil) {
        self.modelAction = modelAction
        self.mapping = mapping
        self.points = points
        self.action = action
        self.label = label
    }
}

/// Why an action could not be placed on the screen.
public struct UnmappableAction: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What a decision cost.
public struct DecisionCost: Sendable, Hashable {
    /// Seconds spent deciding (a model's latency, a planner's time); nil for a script, which takes none.
    public var seconds: Double?
    public var promptTokens: Int
    public var completionTokens: Int
    /// Tokens to show for the step; nil for deciders that use none.
    public var stepTokens: Int?

    public init(seconds: Double? = 0, promptTokens: Int = 0, completionTokens: Int = 0, stepTokens: Int? = nil) {
        self.seconds = seconds
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.stepTokens = stepTokens
    }
}
