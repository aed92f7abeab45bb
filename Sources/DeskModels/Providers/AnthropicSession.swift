import DeskCore
import Foundation

/// One run's conversation with the Anthropic Messages API and its `computer` tool.
///
/// `POST {base}/v1/messages` with `x-api-key`, `anthropic-version` and the tool version's `anthropic-beta`
/// header. The first user turn is the goal and the screenshot; every later user turn holds one
/// `tool_result` per `tool_use` of the previous answer (the screenshot as an image block on the last one,
/// `is_error` with our one-line error where a call failed or was denied). Assistant turns go back exactly as
/// received, thinking blocks and their signatures included, as the API requires. Only the newest
/// ``keepImages`` screenshots stay in the history; older ones become a one-line note.
public actor AnthropicSession: ComputerToolSession {
    public nonisolated let providerName = ModelProvider.anthropic.name
    public let options: ModelOptions
    public let version: AnthropicToolVersion
    public let goal: String
    /// Screenshots kept in the history, the newest included.
    public let keepImages: Int
    let sender: RetryingSender
    var messages: [JSONValue] = []
    /// tool_use ids of the last answer still owed a result.
    var pending: [String] = []

    public static let apiVersion = "2023-06-01"
    public static let defaultMaxTokens = 4096
    public static let thinkingBudget = 2048

    public init(options: ModelOptions, goal: String, keepImages: Int = 3, transport: any HTTPTransport,
                sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) throws(InputError) {
        self.options = options
        self.version = try AnthropicToolVersion.named(options.toolVersion)
        self.goal = goal
        self.keepImages = max(1, keepImages)
        let url = ModelProvider.anthropic.url(for: try options.requireEndpoint())
        self.sender = RetryingSender(options: options, url: url, providerName: ModelProvider.anthropic.name,
                                     transport: transport, sleep: sleep, jitter: jitter)
    }

    public nonisolated func screenshotSize(for size: Size) -> Size { AnthropicScreenshotScaling.size(for: size) }

    static func image(_ image: EncodedImage) -> JSONValue {
        .object(["type": .string("image"), "source": .object([
            "type": .string("base64"), "media_type": .string(image.mimeType), "data": .string(image.data.base64EncodedString()),
        ])])
    }

    static func text(_ s: String) -> JSONValue { .object(["type": .string("text"), "text": .string(s)]) }

    static func system(display: Size) -> String {
        """
        You are operating a Linux desktop (X11) through the computer tool to reach the user's goal. \
        The display is \(display.width)x\(display.height) pixels; give coordinates in those pixels. \
        After each action you get a new screenshot; check it before the next action. \
        When the goal is reached, stop calling tools and answer with one short sentence saying what you did. \
        If an action is refused, the tool result says why: choose another way.
        """
    }

    /// The user turn for `input`: the goal and screenshot first, then tool results.
    func userTurn(_ input: ComputerToolInput) -> JSONValue {
        var content: [JSONValue] = []
        if messages.isEmpty {
            content = [Self.text(goal), Self.image(input.screenshot)]
        } else {
            var byID: [String: ComputerToolResult] = [:]
            for r in input.results { byID[r.callID] = r }
            for (i, id) in pending.enumerated() {
                let r = byID[id] ?? ComputerToolResult(callID: id, error: "not run: an earlier action of this turn failed")
                var parts: [JSONValue] = []
                if let error = r.error { parts.append(Self.text(error)) }
                if let t = r.text { parts.append(Self.text(t)) }
                if let img = r.image { parts.append(Self.image(img)) }
                if i == pending.count - 1, r.image == nil { parts.append(Self.image(input.screenshot)) }
                var block: [String: JSONValue] = ["type": .string("tool_result"), "tool_use_id": .string(id), "content": .array(parts)]
                if r.error != nil { block["is_error"] = .bool(true) }
                content.append(.object(block))
            }
            if pending.isEmpty { content.append(Self.image(input.screenshot)) }
        }
        if let note = input.note, !note.isEmpty { content.append(Self.text(note)) }
        return .object(["role": .string("user"), "content": .array(content)])
    }

    /// Replaces all but the newest `keepImages` images in the history with a note.
    func trimImages() {
        var seen = 0
        func walk(_ v: JSONValue) -> JSONValue {
            switch v {
            case .array(let a): return .array(a.reversed().map(walk).reversed())
            case .object(let o):
                if o["type"]?.string == "image" {
                    seen += 1
                    return seen > keepImages ? Self.text("[an older screenshot, removed to save tokens]") : v
                }
                var out = o
                if let c = o["content"] { out["content"] = walk(c) }
                return .object(out)
            default: return v
            }
        }
        messages = messages.reversed().map(walk).reversed()
    }

    /// The request body for the current history.
    func body(display: Size) -> JSONValue {
        var b: [String: JSONValue] = [
            "model": .string(options.model ?? ""),
            "max_tokens": .number(Double(options.maxTokens ?? Self.defaultMaxTokens)),
            "system": .string(Self.system(display: display)),
            "tools": .array([version.declaration(display: display)]),
            "messages": .array(messages),
        ]
        if options.thinking == true {
            b["thinking"] = .object(["type": .string("enabled"), "budget_tokens": .number(Double(Self.thinkingBudget))])
            if (options.maxTokens ?? Self.defaultMaxTokens) <= Self.thinkingBudget {
                b["max_tokens"] = .number(Double(Self.thinkingBudget + Self.defaultMaxTokens))
            }
        } else if let t = options.temperature {
            b["temperature"] = .number(t)
        }
        return .object(b)
    }

    public func next(_ input: ComputerToolInput) async throws(ModelClientError) -> ComputerToolTurn {
        guard let model = options.model, !model.isEmpty, !model.hasPrefix(" ") else {
            throw sender.error(.invalidRequest("no model name: pass --model NAME (e.g. claude-sonnet-4-5), set DESKPILOT_MODEL, or put 'model: NAME' in the config file"), attempts: 0)
        }
        messages.append(userTurn(input))
        pending = []
        trimImages()
        let body = body(display: input.screenshot.size)
        var headers = ["anthropic-version": Self.apiVersion, "anthropic-beta": version.beta]
        if let key = options.apiKey { headers["x-api-key"] = key }
        let sent = try await sender.send(body: ToolJSON.encode(body), headers: headers)
        let raw = String(decoding: sent.response.body, as: UTF8.self)
        guard !sent.response.body.isEmpty else { throw sender.bad(sent, "the body is empty") }
        guard let reply = JSONValue.parse(sent.response.body), reply.object != nil else {
            throw sender.bad(sent, "not JSON: \(RetryingSender.snippet(sent.response.body))")
        }
        guard let content = reply["content"]?.array else {
            throw sender.bad(sent, "no \"content\" list (expected {\"content\": [...], \"stop_reason\": …}): \(RetryingSender.snippet(sent.response.body))")
        }
        var calls: [ComputerToolCall] = []
        var texts: [String] = []
        for block in content {
            switch block["type"]?.string {
            case "text": if let t = block["text"]?.string { texts.append(t) }
            case "tool_use":
                let id = block["id"]?.string ?? ""
                guard !id.isEmpty else { throw sender.bad(sent, "a tool_use block has no id") }
                let name = block["name"]?.string ?? ""
                let input = block["input"] ?? .object([:])
                if name == "computer" {
                    calls.append(AnthropicActionReader.call(id: id, input: input, version: version))
                } else if block["toolset_name"]?.string == "computer" {
                    // Toolset form: the member's name is the action.
                    calls.append(AnthropicActionReader.call(id: id, input: input, version: version, actionName: name))
                } else {
                    calls.append(ComputerToolCall(id: id, name: name, error: "unknown tool '\(name)'; only the computer tool is available", input: input))
                }
            default: break // thinking, redacted_thinking: kept in the history below, not acted on
            }
        }
        messages.append(.object(["role": .string("assistant"), "content": .array(content)]))
        pending = calls.map(\.id)
        let u = reply["usage"]
        let usage = ToolUsage(inputTokens: ToolJSON.int(u?["input_tokens"]), outputTokens: ToolJSON.int(u?["output_tokens"]),
                              cacheCreationTokens: ToolJSON.int(u?["cache_creation_input_tokens"]),
                              cacheReadTokens: ToolJSON.int(u?["cache_read_input_tokens"]))
        let stop = reply["stop_reason"]?.string
        return ComputerToolTurn(calls: calls, text: texts.joined(separator: "\n"), stopReason: stop,
                                finished: calls.isEmpty, usage: usage, latency: sent.latency, attempts: sent.attempts,
                                request: ToolJSON.elidingImages(body), raw: raw)
    }
}
