import DeskModels
import Foundation

/// One scripted answer of ``ScriptedModelServer``: a chat completion with `content` (and `usage`), or an
/// HTTP error `status` with a raw `body`, optionally after `delay` seconds.
///
/// JSON form (a script file is a list of these, or `{"replies": [...]}`):
/// `{"content": "Action: click(...)", "usage": {"prompt_tokens": 10, "completion_tokens": 5}}`,
/// `{"status": 500, "body": "overloaded", "headers": {"Retry-After": "1"}}`, `{"delay": 2.5, "content": "…"}`.
public struct ScriptedReply: Sendable, Hashable, Codable {
    public var content: String?
    public var reasoningContent: String?
    public var status: Int
    /// A raw body sent instead of a chat completion (for errors and malformed answers).
    public var body: String?
    public var headers: [String: String]
    /// Seconds to wait before answering (to provoke client timeouts).
    public var delay: Double
    public var usage: TokenUsage?

    enum CodingKeys: String, CodingKey {
        case content, status, body, headers, delay, usage
        case reasoningContent = "reasoning_content"
    }

    public init(content: String? = nil, reasoningContent: String? = nil, status: Int = 200, body: String? = nil,
                headers: [String: String] = [:], delay: Double = 0, usage: TokenUsage? = nil) {
        self.content = content
        self.reasoningContent = reasoningContent
        self.status = status
        self.body = body
        self.headers = headers
        self.delay = delay
        self.usage = usage
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        content = try c.decodeIfPresent(String.self, forKey: .content)
        reasoningContent = try c.decodeIfPresent(String.self, forKey: .reasoningContent)
        status = try c.decodeIfPresent(Int.self, forKey: .status) ?? 200
        body = try c.decodeIfPresent(String.self, forKey: .body)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
        delay = try c.decodeIfPresent(Double.self, forKey: .delay) ?? 0
        usage = try c.decodeIfPresent(TokenUsage.self, forKey: .usage)
        if content == nil, body == nil, status == 200 {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                                                    debugDescription: "a reply needs \"content\", or \"status\"/\"body\""))
        }
    }

    /// A chat completion answering `text`.
    public static func text(_ text: String, usage: TokenUsage? = TokenUsage(promptTokens: 100, completionTokens: 20),
                            delay: Double = 0) -> ScriptedReply {
        ScriptedReply(content: text, delay: delay, usage: usage)
    }

    /// An HTTP error.
    public static func error(_ status: Int, body: String = "", headers: [String: String] = [:]) -> ScriptedReply {
        ScriptedReply(status: status, body: body, headers: headers)
    }

    /// Reads a script file's JSON: a list of replies or `{"replies": [...]}`.
    public static func script(from data: Data) throws -> [ScriptedReply] {
        struct Wrapped: Decodable { var replies: [ScriptedReply] }
        if let list = try? JSONDecoder().decode([ScriptedReply].self, from: data) { return list }
        return try JSONDecoder().decode(Wrapped.self, from: data).replies
    }
}
