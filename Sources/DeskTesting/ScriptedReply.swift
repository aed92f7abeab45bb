import DeskCore
import DeskModels
import Foundation

/// One scripted answer of ``ScriptedModelServer``: a chat completion with `content` (and `usage`), or an
/// HTTP error `status` with a raw `body`, optionally after `delay` seconds.
///
/// JSON form (a script file is a list of these, or `{"replies": [...]}`):
/// `{"content": "Action: click(...)", "usage": {"prompt_tokens": 10, "completion_tokens": 5}}`,
/// `{"status": 500, "body": "overloaded", "headers": {"Retry-After": "1"}}`, `{"delay": 2.5, "content": "…"}`,
/// and for the Anthropic and Responses APIs a whole reply body: `{"json": {"content": [...], "stop_reason": "tool_use"}}`.
/// In `content`, `{{mark:TEXT}}` becomes the number of the request's Set-of-Mark mark labelled `"TEXT"`.
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
    /// A JSON body sent as it is (an Anthropic message, a Responses response), with ``status``.
    public var json: JSONValue?

    enum CodingKeys: String, CodingKey {
        case content, status, body, headers, delay, usage, json
        case reasoningContent = "reasoning_content"
    }

    public init(content: String? = nil, reasoningContent: String? = nil, status: Int = 200, body: String? = nil,
                headers: [String: String] = [:], delay: Double = 0, usage: TokenUsage? = nil, json: JSONValue? = nil) {
        self.json = json
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
        json = try c.decodeIfPresent(JSONValue.self, forKey: .json)
        if content == nil, body == nil, json == nil, status == 200 {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath,
                                                    debugDescription: "a reply needs \"content\", \"json\", or \"status\"/\"body\""))
        }
    }

    /// A chat completion answering `text`.
    public static func text(_ text: String, usage: TokenUsage? = TokenUsage(promptTokens: 100, completionTokens: 20),
                            delay: Double = 0) -> ScriptedReply {
        ScriptedReply(content: text, delay: delay, usage: usage)
    }

    /// A JSON body as it is (any API), with `status`.
    public static func raw(_ json: JSONValue, status: Int = 200, headers: [String: String] = [:]) -> ScriptedReply {
        ScriptedReply(status: status, headers: headers, json: json)
    }

    /// An Anthropic Messages reply: optional text, then one `computer` tool_use per input (ids `toolu_N_i`).
    public static func anthropic(text: String? = nil, computer inputs: [JSONValue] = [], thinking: String? = nil,
                                 tool: String = "computer", usage: ToolUsage = ToolUsage(inputTokens: 1000, outputTokens: 50,
                                 cacheReadTokens: 200), idPrefix: String? = nil) -> ScriptedReply {
        let prefix = idPrefix ?? "toolu_" + UUID().uuidString.prefix(8).lowercased()
        var content: [JSONValue] = []
        if let thinking {
            content.append(.object(["type": .string("thinking"), "thinking": .string(thinking), "signature": .string("sig-\(thinking.count)")]))
        }
        if let text { content.append(.object(["type": .string("text"), "text": .string(text)])) }
        for (i, input) in inputs.enumerated() {
            content.append(.object(["type": .string("tool_use"), "id": .string("\(prefix)_\(i)"),
                                    "name": .string(tool), "input": input]))
        }
        return .raw(.object([
            "id": .string("msg_scripted"), "type": .string("message"), "role": .string("assistant"), "model": .string("scripted-model"),
            "content": .array(content), "stop_reason": .string(inputs.isEmpty ? "end_turn" : "tool_use"),
            "usage": .object(["input_tokens": .number(Double(usage.inputTokens)), "output_tokens": .number(Double(usage.outputTokens)),
                              "cache_creation_input_tokens": .number(Double(usage.cacheCreationTokens)),
                              "cache_read_input_tokens": .number(Double(usage.cacheReadTokens))]),
        ]))
    }

    /// An OpenAI Responses reply with `id`: an optional reasoning item, one `computer_call` per action (or one
    /// batched call when `batch`), or a final message when `actions` is empty.
    public static func responses(id: String, actions: [JSONValue] = [], text: String? = nil, batch: Bool = false,
                                 safetyChecks: [SafetyCheck] = [], reasoning: Bool = true,
                                 usage: ToolUsage = ToolUsage(inputTokens: 900, outputTokens: 40)) -> ScriptedReply {
        var output: [JSONValue] = []
        if reasoning {
            output.append(.object(["type": .string("reasoning"), "id": .string("rs_\(id)"), "summary": .array([])]))
        }
        func checks() -> JSONValue {
            .array(safetyChecks.map { .object(["id": .string($0.id), "code": .string($0.code ?? ""), "message": .string($0.message ?? "")]) })
        }
        if batch, !actions.isEmpty {
            output.append(.object(["type": .string("computer_call"), "id": .string("cu_\(id)"), "call_id": .string("call_\(id)"),
                                   "actions": .array(actions), "pending_safety_checks": checks(), "status": .string("completed")]))
        } else {
            for (i, a) in actions.enumerated() {
                output.append(.object(["type": .string("computer_call"), "id": .string("cu_\(id)_\(i)"), "call_id": .string("call_\(id)_\(i)"),
                                       "action": a, "pending_safety_checks": i == 0 ? checks() : .array([]), "status": .string("completed")]))
            }
        }
        if let text {
            output.append(.object(["type": .string("message"), "id": .string("msg_\(id)"), "role": .string("assistant"),
                                   "content": .array([.object(["type": .string("output_text"), "text": .string(text)])])]))
        }
        return .raw(.object([
            "id": .string(id), "object": .string("response"), "status": .string("completed"), "output": .array(output),
            "usage": .object(["input_tokens": .number(Double(usage.inputTokens + usage.cacheReadTokens)),
                              "output_tokens": .number(Double(usage.outputTokens)),
                              "input_tokens_details": .object(["cached_tokens": .number(Double(usage.cacheReadTokens))])]),
        ]))
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


