import DeskCore
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
            case toolCalls = "tool_calls"
        }

        /// A native `tool_calls` entry (vLLM's hermes parser, OpenAI function calling).
        struct ToolCall: Decodable {
            struct Function: Decodable {
                var name: String?
                /// A JSON string as the API sends it (some servers send an object).
                var arguments: JSONValue?
            }
            var function: Function?
        }

        /// Native tool calls rewritten as the `<tool_call>{"name": …, "arguments": …}</tool_call>` text the
        /// Qwen parsers read, so both forms go through one parser. The arguments string is kept verbatim: a
        /// malformed one fails there with a line and column, and the model is told.
        static func toolCallText(_ calls: [ToolCall]) -> String {
            calls.compactMap { call -> String? in
                guard let f = call.function else { return nil }
                let name = f.name ?? ""
                let args: String
                switch f.arguments {
                case .string(let s)?: args = s
                case let v?: args = (try? JSONEncoder().encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                case nil: args = "{}"
                }
                let quoted = (try? JSONEncoder().encode(name)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
                return "<tool_call>\n{\"name\": \(quoted), \"arguments\": \(args)}\n</tool_call>"
            }.joined(separator: "\n")
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
            if let calls = try? c.decodeIfPresent([ToolCall].self, forKey: .toolCalls), !calls.isEmpty {
                let text = Self.toolCallText(calls)
                content = [content ?? "", text].filter { !$0.isEmpty }.joined(separator: "\n")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(role, forKey: .role)
            try c.encodeIfPresent(content, forKey: .content)
            try c.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
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
