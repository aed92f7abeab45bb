import DeskCore
import Foundation

/// One run's conversation with a provider that has its own computer tool (Anthropic Messages, OpenAI
/// Responses). It keeps the wire state (messages, tool-use ids, `previous_response_id`), sends each turn
/// with the screenshot and the results of the previous turn's calls, and reads the reply into
/// ``ComputerToolTurn``s. The agent loop never sees a wire format.
public protocol ComputerToolSession: Actor {
    /// The provider's name (`anthropic`, `openai-responses`).
    nonisolated var providerName: String { get }
    /// The size to send a screenshot of a screen of `size` at; the tool is declared with it, and the model's
    /// coordinates are pixels of it (``CoordinateConvention/absoluteOnSent``).
    nonisolated func screenshotSize(for size: Size) -> Size
    /// Sends the next turn and returns the model's answer.
    func next(_ input: ComputerToolInput) async throws(ModelClientError) -> ComputerToolTurn
}

/// What the loop sends in one turn.
public struct ComputerToolInput: Sendable {
    /// The current screen, encoded at ``ComputerToolSession/screenshotSize(for:)``.
    public var screenshot: EncodedImage
    /// The step number (labels old screenshots in the history).
    public var step: Int
    /// One result per call of the previous turn, in order; empty on the first turn.
    public var results: [ComputerToolResult]
    /// Text for the model that is no call's result (a "no progress" warning).
    public var note: String?

    public init(screenshot: EncodedImage, step: Int, results: [ComputerToolResult] = [], note: String? = nil) {
        self.screenshot = screenshot
        self.step = step
        self.results = results
        self.note = note
    }
}

/// How one call went, as the loop reports it back to the provider.
public struct ComputerToolResult: Sendable, Hashable {
    public var callID: String
    /// Our one-line error (policy denial, input error, unknown action); the provider marks the result as an error.
    public var error: String?
    /// Text the call asked for (`cursor_position`).
    public var text: String?
    /// An image the call asked for instead of the screenshot (`zoom`).
    public var image: EncodedImage?
    /// Safety checks a person (or `--acknowledge-safety-checks`) acknowledged for this call.
    public var acknowledged: [SafetyCheck]

    public init(callID: String, error: String? = nil, text: String? = nil, image: EncodedImage? = nil,
                acknowledged: [SafetyCheck] = []) {
        self.callID = callID
        self.error = error
        self.text = text
        self.image = image
        self.acknowledged = acknowledged
    }
}

/// A provider's safety check on a call (OpenAI `pending_safety_checks`): only a person may acknowledge it.
public struct SafetyCheck: Sendable, Hashable, Codable {
    public var id: String
    public var code: String?
    public var message: String?

    public init(id: String, code: String? = nil, message: String? = nil) {
        self.id = id
        self.code = code
        self.message = message
    }
}

/// A tool call's request that is not input: answered by the loop from the screen.
public enum ComputerToolQuery: Sendable, Hashable {
    /// Send a fresh screenshot (every result carries one anyway).
    case screenshot
    /// Answer with the pointer position, in the model's coordinates.
    case cursorPosition
    /// Send this region (model coordinates, x0 y0 x1 y1) at full screen resolution.
    case zoom(ModelPoint, ModelPoint)
}

/// One tool call of a reply, read into deskpilot actions.
public struct ComputerToolCall: Sendable, Hashable {
    /// The id results must name (`tool_use.id`, `computer_call.call_id`).
    public var id: String
    /// The action's name as the model wrote it (`left_click`, `double_click`, `keypress`).
    public var name: String
    /// The actions to run, in order, in the model's coordinates (a click with modifiers is press, click,
    /// release; a drag path is down, moves, up). Every one passes the policy on its own.
    public var actions: [ModelAction]
    /// Actions that must run if any of ``actions`` fails or is denied (releasing what it pressed).
    public var cleanup: [ModelAction]
    /// What to answer besides the screenshot.
    public var query: ComputerToolQuery?
    /// Why the call cannot be run (unknown action, bad arguments); answered as an error result.
    public var error: String?
    /// Safety checks to acknowledge before the call may run.
    public var safetyChecks: [SafetyCheck]
    /// The call's input as sent, for the trace.
    public var input: JSONValue

    public init(id: String, name: String, actions: [ModelAction] = [], cleanup: [ModelAction] = [],
                query: ComputerToolQuery? = nil, error: String? = nil, safetyChecks: [SafetyCheck] = [],
                input: JSONValue = .null) {
        self.id = id
        self.name = name
        self.actions = actions
        self.cleanup = cleanup
        self.query = query
        self.error = error
        self.safetyChecks = safetyChecks
        self.input = input
    }
}

/// Token counts of one reply, cache tokens included where the provider reports them.
public struct ToolUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cacheCreationTokens: Int
    public var cacheReadTokens: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheCreationTokens: Int = 0, cacheReadTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheCreationTokens = cacheCreationTokens
        self.cacheReadTokens = cacheReadTokens
    }

    /// Everything the prompt cost: fresh, cache-written and cache-read input.
    public var promptTokens: Int { inputTokens + cacheCreationTokens + cacheReadTokens }
    public var totalTokens: Int { promptTokens + outputTokens }
}

/// One reply of a computer-tool provider.
public struct ComputerToolTurn: Sendable {
    public var calls: [ComputerToolCall]
    /// The model's text (its final answer when there are no calls).
    public var text: String
    /// `end_turn`, `tool_use`, `max_tokens`, `completed`, …
    public var stopReason: String?
    /// True when the model ended its turn without calls: the run is over, ``text`` is its answer.
    public var finished: Bool
    public var usage: ToolUsage
    public var latency: Double
    public var attempts: Int
    /// The request as sent, images replaced by `[image WxH]` and never the key: the trace's record of it.
    public var request: JSONValue
    /// The reply body as received (already within the reply cap).
    public var raw: String

    public init(calls: [ComputerToolCall], text: String, stopReason: String?, finished: Bool, usage: ToolUsage,
                latency: Double, attempts: Int, request: JSONValue, raw: String) {
        self.calls = calls
        self.text = text
        self.stopReason = stopReason
        self.finished = finished
        self.usage = usage
        self.latency = latency
        self.attempts = attempts
        self.request = request
        self.raw = raw
    }
}

/// Helpers the computer-tool providers share.
enum ToolJSON {
    static func encode(_ v: JSONValue) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(v)) ?? Data("{}".utf8)
    }

    static func text(_ v: JSONValue) -> String { String(decoding: encode(v), as: UTF8.self) }

    /// `value` with every base64 image payload replaced by a short marker, for traces.
    static func elidingImages(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(var o):
            if let data = o["data"]?.string, o["media_type"] != nil { o["data"] = .string("[\(data.count) base64 chars omitted]") }
            if let url = o["image_url"]?.string, url.hasPrefix("data:") { o["image_url"] = .string("[data URL of \(url.count) chars omitted]") }
            return .object(o.mapValues(elidingImages))
        case .array(let a): return .array(a.map(elidingImages))
        default: return value
        }
    }

    static func number(_ v: JSONValue?) -> Double? {
        if let n = v?.number, n.isFinite { return n }
        if let s = v?.string, let n = Double(s), n.isFinite { return n }
        return nil
    }

    static func point(_ v: JSONValue?) -> ModelPoint? {
        guard let a = v?.array, a.count == 2, let x = number(a[0]), let y = number(a[1]) else { return nil }
        return ModelPoint(x: x, y: y)
    }

    static func int(_ v: JSONValue?) -> Int { Int(number(v) ?? 0) }
}

/// Key names computer tools write (xdotool keysyms, OpenAI's upper-case names) in our chord syntax.
public enum ToolKeyNames {
    /// `CTRL`, `ENTER`, `ArrowLeft`, `cmd` → `ctrl`, `Return`, `Left`, `super`; other names pass through
    /// (any X keysym name is accepted by the chord parser).
    public static func normalize(_ key: String) -> String {
        let k = key.trimmingCharacters(in: .whitespaces)
        switch k.lowercased() {
        case "ctrl", "control", "control_l": return "ctrl"
        case "alt", "option", "alt_l": return "alt"
        case "shift", "shift_l": return "shift"
        case "cmd", "command", "meta", "super", "win", "windows", "super_l": return "super"
        case "enter", "return": return "Return"
        case "esc", "escape": return "Escape"
        case "space", " ": return "space"
        case "tab": return "Tab"
        case "backspace": return "BackSpace"
        case "delete", "del": return "Delete"
        case "arrowleft", "left": return "Left"
        case "arrowright", "right": return "Right"
        case "arrowup", "up": return "Up"
        case "arrowdown", "down": return "Down"
        case "pageup", "page_up", "prior": return "Page_Up"
        case "pagedown", "page_down", "next": return "Page_Down"
        case "home": return "Home"
        case "end": return "End"
        case "insert": return "Insert"
        case "capslock": return "Caps_Lock"
        default: return k
        }
    }

    /// A list of keys pressed together as one chord (`["CTRL", "A"]` → `ctrl+A`... lower-cased letters).
    public static func chord(_ keys: [String]) -> String {
        keys.map { k in
            let n = normalize(k)
            return n.count == 1 ? n.lowercased() : n
        }.joined(separator: "+")
    }

    /// Modifier names from a click's or scroll's `text` (`"shift"`, `"ctrl+shift"`, `"cmd alt"`).
    public static func modifiers(_ text: String?) -> [String] {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        return text.split(whereSeparator: { $0 == "+" || $0 == " " || $0 == "," }).map { normalize(String($0)) }
    }

    /// `actions` wrapped in presses and releases of `modifiers`, with the releases as cleanup.
    static func holding(_ modifiers: [String], _ actions: [ModelAction]) -> (actions: [ModelAction], cleanup: [ModelAction]) {
        let releases: [ModelAction] = modifiers.reversed().map { .release(key: $0) }
        return (modifiers.map { .press(key: $0) } + actions + releases, releases)
    }
}
