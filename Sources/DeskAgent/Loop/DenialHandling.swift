/// What a step does when the policy denies an action, or the action cannot be performed.
public enum DenialHandling: Sendable, Hashable {
    /// End the run: the decider cannot choose another way (a planner, a script).
    case abort
    /// Leave the action out and go on with the decision's other actions.
    case skip
    /// Stop this decision and tell the decider why in its next turn, so it can choose another way (a model).
    case feedBack
    /// Leave out the rest of the action's group (one tool call of a computer-use provider), release what
    /// the group pressed, and go on with the next group; the decider learns each action's fate
    /// (``Decider/learn(from:)``) and answers every call.
    case skipGroup
}
