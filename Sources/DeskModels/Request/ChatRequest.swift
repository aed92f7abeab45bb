import Foundation

/// An OpenAI-compatible `POST /chat/completions` body.
public struct ChatRequest: Sendable, Hashable, Codable {
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var frequencyPenalty: Double?
    /// Seed/Doubao's switch for hidden reasoning: `{"type": "enabled"|"disabled"}`.
    public var thinking: Thinking?
    public var stream: Bool?

    /// The Seed/Doubao `thinking` body field.
    public struct Thinking: Sendable, Hashable, Codable {
        public var type: String
        public init(enabled: Bool) { self.type = enabled ? "enabled" : "disabled" }
        public var isEnabled: Bool { type == "enabled" }
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, thinking, stream
        case topP = "top_p"
        case maxTokens = "max_tokens"
        case frequencyPenalty = "frequency_penalty"
    }

    public init(model: String = "", messages: [ChatMessage], temperature: Double? = nil, topP: Double? = nil,
                maxTokens: Int? = nil, frequencyPenalty: Double? = nil, thinking: Thinking? = nil, stream: Bool? = nil) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.frequencyPenalty = frequencyPenalty
        self.thinking = thinking
        self.stream = stream
    }

    /// Every image data URL in the request, in message order.
    public var imageURLs: [String] { messages.flatMap(\.imageURLs) }
}
