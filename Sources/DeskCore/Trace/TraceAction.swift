/// One action of a step: as the model wrote it, how it was mapped, the screen action, the policy
/// decision, and whether it ran.
public struct TraceAction: Sendable, Hashable, Codable {
    public var index: Int
    /// The action in the model's coordinates (absent for scripted task steps).
    public var modelAction: ModelAction?
    /// How model points became screen pixels for this observation.
    public var mapping: CoordinateMapping?
    /// Every point of the action with its exact and rounded screen position.
    public var points: [MappedPoint]?
    /// The action in root-window pixels; absent when mapping failed (see `error`).
    public var action: ScreenAction?
    /// A short human line: `click (640,360)`, `type "hello"`.
    public var description: String
    public var decision: TraceDecision?
    public var executed: Bool
    public var error: String?
    /// Time to inject this action, in milliseconds.
    public var actMs: Double?
    /// How the targets of a scripted step were found (which grounder, what it found).
    public var grounding: [TraceGrounding]?
    /// The Set-of-Mark mark the model named instead of coordinates.
    public var mark: Int?

    public init(index: Int, modelAction: ModelAction? = nil, mapping: CoordinateMapping? = nil,
                points: [MappedPoint]? = nil, action: ScreenAction?, description: String,
                decision: TraceDecision? = nil, executed: Bool, error: String? = nil, actMs: Double? = nil) {
        self.index = index
        self.modelAction = modelAction
        self.mapping = mapping
        self.points = points
        self.action = action
        self.description = description
        self.decision = decision
        self.executed = executed
        self.error = error
        self.actMs = actMs
    }

    enum CodingKeys: String, CodingKey {
        case index, modelAction = "model_action", mapping, points, action, description, decision, executed, error
        case actMs = "act_ms", grounding, mark
    }
}
