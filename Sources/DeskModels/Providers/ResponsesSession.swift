import DeskCore
import Foundation

/// One run's conversation with the OpenAI Responses API and its computer tool.
///
/// `POST {base}/responses` with `truncation: auto`. Turns chain by `previous_response_id`; with
/// ``ModelOptions/stateless`` (or when the server returns no response id) every input and output item is
/// replayed instead, reasoning items included, with `store: false` and encrypted reasoning requested, as the
/// API requires for stateless use. Each `computer_call` is answered with a `computer_call_output` carrying
/// the screenshot and the safety checks a person acknowledged; errors and notes go in a user message after
/// the outputs.
public actor ResponsesSession: ComputerToolSession {
    public nonisolated let providerName = ModelProvider.openAIResponses.name
    public let options: ModelOptions
    public let version: ResponsesToolVersion
    public let goal: String
    let sender: RetryingSender
    var previousResponseID: String?
    /// Every item so far, for servers that keep no state.
    var items: [JSONValue] = []
    var replay: Bool
    var pending: [String] = []
    var started = false

    /// The size OpenAI's computer tool is trained on at most; larger screens are scaled down to it.
    public static let maxDisplay = Size(width: 1920, height: 1200)

    public init(options: ModelOptions, goal: String, transport: any HTTPTransport,
                sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) throws(InputError) {
        self.options = options
        self.version = try ResponsesToolVersion.named(options.toolVersion)
        self.goal = goal
        self.replay = options.stateless
        let url = ModelProvider.openAIResponses.url(for: try options.requireEndpoint())
        self.sender = RetryingSender(options: options, url: url, providerName: ModelProvider.openAIResponses.name,
                                     transport: transport, sleep: sleep, jitter: jitter)
    }

    public nonisolated func screenshotSize(for size: Size) -> Size {
        let f = min(1, Double(Self.maxDisplay.width) / Double(max(1, size.width)),
                    Double(Self.maxDisplay.height) / Double(max(1, size.height)))
        if f >= 1 { return size }
        return Size(width: max(1, Int(Double(size.width) * f)), height: max(1, Int(Double(size.height) * f)))
    }

    func screenshotOutput(_ image: EncodedImage) -> JSONValue {
        // The preview tool documents `computer_screenshot`; the newer `computer` tool takes `input_image`.
        .object(["type": .string(version.type == "computer_use_preview" ? "computer_screenshot" : "input_image"),
                 "image_url": .string(image.dataURL)])
    }

    /// The input items for `input`.
    func inputItems(_ input: ComputerToolInput) -> [JSONValue] {
        if !started {
            var content: [JSONValue] = [.object(["type": .string("input_text"), "text": .string(goal)]),
                                        .object(["type": .string("input_image"), "image_url": .string(input.screenshot.dataURL)])]
            if let note = input.note { content.append(.object(["type": .string("input_text"), "text": .string(note)])) }
            return [.object(["role": .string("user"), "content": .array(content)])]
        }
        var byID: [String: ComputerToolResult] = [:]
        for r in input.results { byID[r.callID] = r }
        var out: [JSONValue] = []
        var notes: [String] = []
        for id in pending {
            let r = byID[id] ?? ComputerToolResult(callID: id, error: "not run: an earlier action of this turn failed")
            var item: [String: JSONValue] = ["type": .string("computer_call_output"), "call_id": .string(id),
                                             "output": screenshotOutput(input.screenshot)]
            if !r.acknowledged.isEmpty {
                item["acknowledged_safety_checks"] = .array(r.acknowledged.map { c in
                    var o: [String: JSONValue] = ["id": .string(c.id)]
                    if let code = c.code { o["code"] = .string(code) }
                    if let m = c.message { o["message"] = .string(m) }
                    return .object(o)
                })
            }
            out.append(.object(item))
            if let e = r.error { notes.append(e) }
            if let t = r.text { notes.append(t) }
        }
        if let note = input.note { notes.append(note) }
        if pending.isEmpty {
            // The model answered without a call but the run goes on (a note for it): show the screen again.
            out.append(.object(["role": .string("user"), "content": .array([
                .object(["type": .string("input_image"), "image_url": .string(input.screenshot.dataURL)])])]))
        }
        if !notes.isEmpty {
            out.append(.object(["role": .string("user"), "content": .array(notes.map {
                .object(["type": .string("input_text"), "text": .string($0)])
            })]))
        }
        return out
    }

    public func next(_ input: ComputerToolInput) async throws(ModelClientError) -> ComputerToolTurn {
        guard let model = options.model, !model.isEmpty else {
            throw sender.error(.invalidRequest("no model name: pass --model NAME (e.g. computer-use-preview), set DESKPILOT_MODEL, or put 'model: NAME' in the config file"), attempts: 0)
        }
        let newItems = inputItems(input)
        started = true
        pending = []
        var body: [String: JSONValue] = [
            "model": .string(model),
            "tools": .array([version.declaration(display: input.screenshot.size)]),
            "truncation": .string("auto"),
        ]
        if options.thinking == true { body["reasoning"] = .object(["summary": .string("concise")]) }
        if let n = options.maxTokens { body["max_output_tokens"] = .number(Double(n)) }
        if replay {
            items += newItems
            body["input"] = .array(items)
            body["store"] = .bool(false)
            body["include"] = .array([.string("reasoning.encrypted_content")])
        } else {
            items += newItems
            body["input"] = .array(newItems)
            if let previousResponseID { body["previous_response_id"] = .string(previousResponseID) }
        }
        var headers: [String: String] = [:]
        if let key = options.apiKey { headers["Authorization"] = "Bearer \(key)" }
        let sent = try await sender.send(body: ToolJSON.encode(.object(body)), headers: headers)
        let raw = String(decoding: sent.response.body, as: UTF8.self)
        guard !sent.response.body.isEmpty else { throw sender.bad(sent, "the body is empty") }
        guard let reply = JSONValue.parse(sent.response.body), reply.object != nil else {
            throw sender.bad(sent, "not JSON: \(RetryingSender.snippet(sent.response.body))")
        }
        guard let output = reply["output"]?.array else {
            throw sender.bad(sent, "no \"output\" list (expected {\"id\": …, \"output\": [...]}): \(RetryingSender.snippet(sent.response.body))")
        }
        if let id = reply["id"]?.string, !id.isEmpty {
            previousResponseID = id
        } else if !replay {
            // A server that names no response cannot be chained: replay from now on.
            replay = true
        }
        var calls: [ComputerToolCall] = []
        var texts: [String] = []
        for item in output {
            switch item["type"]?.string {
            case "computer_call":
                let call = ResponsesActionReader.call(item)
                guard !call.id.isEmpty else { throw sender.bad(sent, "a computer_call has no call_id") }
                calls.append(call)
            case "message":
                for part in item["content"]?.array ?? [] {
                    if let t = part["text"]?.string { texts.append(t) }
                }
            default: break // reasoning: the server keeps it (chained) or it is replayed below
            }
        }
        items += output
        pending = calls.map(\.id)
        let u = reply["usage"]
        let cached = ToolJSON.int(u?["input_tokens_details"]?["cached_tokens"])
        let usage = ToolUsage(inputTokens: max(0, ToolJSON.int(u?["input_tokens"]) - cached),
                              outputTokens: ToolJSON.int(u?["output_tokens"]), cacheReadTokens: cached)
        var request = ToolJSON.elidingImages(.object(body))
        if replay, case .object(var o) = request, let n = o["input"]?.array?.count {
            // The replayed history is in earlier requests already; keep the trace small.
            o["input"] = .string("[\(n) items replayed]")
            request = .object(o)
        }
        return ComputerToolTurn(calls: calls, text: texts.joined(separator: "\n"), stopReason: reply["status"]?.string,
                                finished: calls.isEmpty, usage: usage, latency: sent.latency, attempts: sent.attempts,
                                request: request, raw: raw)
    }
}
