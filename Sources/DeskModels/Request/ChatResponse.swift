import Foundation

/// The part of an OpenAI-compatible chat-completions response deskpilot reads.
public struct ChatResponse: Sendable, Hashable, Codable {
    public struct Choice: Sendable, Hashable, Codable {
        public var index: Int?
        public var message: Message
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }

        public init(index: Int? = 0, message: Message, finishReason: String? = "stop") {
            self.index = index
            self.message = message
            self.finishReason = finishReason
        }
    }

    public struct Message: Sendable, Hashable, Codable {
        public var role: String?
        /// Text content; servers that answer with a parts array are read as their text joined.
        public var content: String?
        /// Hidden reasoning some servers return separately (Seed, DeepSeek-style `reasoning_content`).
        public var reasoningContent: String?

        enum CodingKeys: String, CodingKey {
            case role, content
            case reasoningContent = "reasoning_content"
        }

        public init(role: String? = "assistant", content: String?, reasoningContent: String? = nil) {
            self.role = role
            self.content = content
            self.reasoningContent = reasoningContent
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            role = try c.decodeIfPresent(String.self, forKey: .role)
            reasoningContent = try? c.decodeIfPresent(String.self, forKey: .reasoningContent)
            if let s = try? c.decodeIfPresent(String.self, forKey: .content) {
                content = s
            } else if let parts = try? c.decodeIfPresent([ContentPart].self, forKey: .content) {
                content = parts.compactMap(\.text).joined()
            } else {
                content = nil
            }
        }
    }

    public var id: String?
    public var model: String?
    public var choices: [Choice]
    public var usage: TokenUsage?

    public init(id: String? = nil, model: String? = nil, choices: [Choice], usage: TokenUsage? = nil) {
        self.id = id
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}

/// Token counts the server reports for one completion.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = try c.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
        completionTokens = try c.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
        totalTokens = try c.decodeIfPresent(Int.self, forKey: .totalTokens) ?? promptTokens + completionTokens
    }
}
