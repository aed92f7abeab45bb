/// What ``ModelClient/complete(_:)`` returns: the answer text and how it went.
public struct ChatReply: Sendable, Hashable {
    /// The first choice's content.
    public var text: String
    /// Reasoning the server returned separately (`reasoning_content`), if any.
    public var reasoning: String?
    /// Token counts as the server reported them (`nil` when it sent no `usage`).
    public var usage: TokenUsage?
    /// Seconds from the first send to the answer, retries and back-off included.
    public var latency: Double
    /// How many HTTP attempts it took (1 = no retry).
    public var attempts: Int
    public var finishReason: String?
    /// The model name the server says answered.
    public var model: String?

    public init(text: String, reasoning: String? = nil, usage: TokenUsage?, latency: Double, attempts: Int,
                finishReason: String? = nil, model: String? = nil) {
        self.text = text
        self.reasoning = reasoning
        self.usage = usage
        self.latency = latency
        self.attempts = attempts
        self.finishReason = finishReason
        self.model = model
    }
}
