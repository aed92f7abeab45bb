import DeskCore

/// A model answer turned into actions, with the text around them.
public struct ParsedAnswer: Sendable, Hashable {
    /// The `Thought:` text (or `Action_Summary:` when there is no thought), trimmed.
    public var thought: String?
    /// The `Reflection:` text, when the model wrote one.
    public var reflection: String?
    /// Content of `<think…>` blocks (hidden reasoning), when present.
    public var reasoning: String?
    /// The actions in the order the model wrote them, in the model's coordinate space.
    public var actions: [ModelAction]
    /// The answer exactly as received.
    public var raw: String

    public init(thought: String? = nil, reflection: String? = nil, reasoning: String? = nil,
                actions: [ModelAction], raw: String) {
        self.thought = thought
        self.reflection = reflection
        self.reasoning = reasoning
        self.actions = actions
        self.raw = raw
    }
}
