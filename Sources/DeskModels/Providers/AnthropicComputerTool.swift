import DeskCore
import Foundation

/// A version of Anthropic's `computer` tool, as data: its `type`, the beta header it needs, whether it has
/// `zoom`, and the actions it defines. A later version is one more entry in ``all``.
public struct AnthropicToolVersion: Sendable, Hashable {
    public var type: String
    /// The `anthropic-beta` header value.
    public var beta: String
    /// True when the version has the `zoom` action (declared with `enable_zoom: true`).
    public var zoom: Bool
    public var actions: Set<String>

    static let base: Set<String> = ["key", "type", "mouse_move", "left_click", "left_click_drag", "right_click",
                                    "middle_click", "double_click", "screenshot", "cursor_position"]
    static let v2025: Set<String> = base.union(["left_mouse_down", "left_mouse_up", "scroll", "hold_key", "wait", "triple_click"])

    public static let all: [AnthropicToolVersion] = [
        AnthropicToolVersion(type: "computer_20241022", beta: "computer-use-2024-10-22", zoom: false, actions: base),
        AnthropicToolVersion(type: "computer_20250124", beta: "computer-use-2025-01-24", zoom: false, actions: v2025),
        AnthropicToolVersion(type: "computer_20251124", beta: "computer-use-2025-11-24", zoom: true, actions: v2025.union(["zoom"])),
    ]
    public static let defaultType = "computer_20250124"

    /// The version called `type`, or a usage error listing the known ones.
    public static func named(_ type: String?) throws(InputError) -> AnthropicToolVersion {
        let key = type ?? defaultType
        if let v = all.first(where: { $0.type == key }) { return v }
        throw InputError("unknown Anthropic computer tool version '\(key)'; known: \(all.map(\.type).joined(separator: ", "))")
    }

    /// The tool declaration for a display of `size`.
    public func declaration(display size: Size) -> JSONValue {
        var tool: [String: JSONValue] = ["type": .string(type), "name": .string("computer"),
                                         "display_width_px": .number(Double(size.width)),
                                         "display_height_px": .number(Double(size.height))]
        if zoom { tool["enable_zoom"] = .bool(true) }
        return .object(tool)
    }
}

/// The screenshot size Claude works best at: the computer-use reference's XGA/WXGA/FWXGA targets when the
/// screen's aspect ratio matches one (within 0.02) and the screen is wider, otherwise the native size scaled
/// down until the long edge is at most 1568 px and the area at most 1.15 MP (the API would downscale
/// larger images itself and every click would land off). Coordinates are mapped back by the ratio.
public enum AnthropicScreenshotScaling {
    public static let targets = [Size(width: 1024, height: 768), Size(width: 1280, height: 800), Size(width: 1366, height: 768)]
    public static let maxLongEdge = 1568
    public static let maxPixels = 1_150_000

    public static func size(for screen: Size) -> Size {
        guard screen.width > 0, screen.height > 0 else { return screen }
        let ratio = Double(screen.width) / Double(screen.height)
        for t in targets where t.width < screen.width {
            if abs(Double(t.width) / Double(t.height) - ratio) < 0.02 { return t }
        }
        let long = Double(max(screen.width, screen.height))
        let area = Double(screen.width) * Double(screen.height)
        let f = min(1, Double(maxLongEdge) / long, (Double(maxPixels) / area).squareRoot())
        if f >= 1 { return screen }
        return Size(width: max(1, Int(Double(screen.width) * f)), height: max(1, Int(Double(screen.height) * f)))
    }
}

/// Reads a `computer` tool_use input into deskpilot actions (pure; coordinates stay the model's).
public enum AnthropicActionReader {
    public static func call(id: String, input: JSONValue, version: AnthropicToolVersion, actionName: String? = nil) -> ComputerToolCall {
        let action = actionName ?? input["action"]?.string ?? ""
        var call = ComputerToolCall(id: id, name: action, input: input)
        func fail(_ why: String) -> ComputerToolCall { var c = call; c.error = why; return c }
        guard !action.isEmpty else { return fail("the computer tool call has no \"action\"") }
        guard version.actions.contains(action) else {
            if AnthropicToolVersion.all.contains(where: { $0.actions.contains(action) }) {
                return fail("'\(action)' is not an action of \(version.type)")
            }
            return fail("unknown computer action '\(action)'")
        }
        let coordinate = ToolJSON.point(input["coordinate"])
        if input["coordinate"] != nil, input["coordinate"] != .null, coordinate == nil {
            return fail("\(action): \"coordinate\" is not [x, y] with two numbers")
        }
        let text = input["text"]?.string
        switch action {
        case "key":
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return fail("key needs \"text\": a key or chord such as ctrl+s") }
            // xdotool takes several chords separated by spaces ("ctrl+a Delete").
            call.actions = text.split(separator: " ").map { chord in
                .key(chord: chord.split(separator: "+").map { ToolKeyNames.normalize(String($0)) }.joined(separator: "+"))
            }
        case "hold_key":
            guard let text, !text.isEmpty else { return fail("hold_key needs \"text\": the key to hold") }
            guard let d = ToolJSON.number(input["duration"]), d >= 0, d <= 100 else { return fail("hold_key needs \"duration\": seconds from 0 to 100") }
            let keys = text.split(separator: "+").map { ToolKeyNames.normalize(String($0)) }
            let held = ToolKeyNames.holding(keys, [.wait(seconds: d)])
            call.actions = held.actions
            call.cleanup = held.cleanup
        case "type":
            guard let text, !text.isEmpty else { return fail("type needs a non-empty \"text\"") }
            call.actions = [.type(text: text)]
        case "cursor_position":
            call.query = .cursorPosition
        case "screenshot":
            call.query = .screenshot
        case "mouse_move":
            guard let coordinate else { return fail("mouse_move needs \"coordinate\": [x, y]") }
            call.actions = [.move(to: coordinate)]
        case "left_mouse_down":
            call.actions = [.mouseDown(at: coordinate, button: .left)]
        case "left_mouse_up":
            call.actions = [.mouseUp(at: coordinate, button: .left)]
        case "left_click", "right_click", "middle_click", "double_click", "triple_click":
            let button: MouseButton = action == "right_click" ? .right : action == "middle_click" ? .middle : .left
            let count = action == "double_click" ? 2 : action == "triple_click" ? 3 : 1
            // `text` names modifiers held during the click (the 2024 demo called it `key`).
            let held = ToolKeyNames.holding(ToolKeyNames.modifiers(text ?? input["key"]?.string),
                                            [.click(at: coordinate, button: button, count: count)])
            call.actions = held.actions
            call.cleanup = held.cleanup
        case "left_click_drag":
            guard let coordinate else { return fail("left_click_drag needs \"coordinate\": [x, y], the end point") }
            if let start = ToolJSON.point(input["start_coordinate"]) {
                call.actions = [.drag(from: start, to: coordinate, button: .left)]
            } else {
                call.actions = [.mouseDown(at: nil, button: .left), .move(to: coordinate), .mouseUp(at: coordinate, button: .left)]
                call.cleanup = [.mouseUp(at: nil, button: .left)]
            }
        case "scroll":
            guard let name = input["scroll_direction"]?.string, let direction = ScrollDirection(rawValue: name) else {
                return fail("scroll needs \"scroll_direction\": up, down, left or right")
            }
            let amount = ToolJSON.int(input["scroll_amount"])
            guard amount >= 1, amount <= 100 else { return fail("scroll needs \"scroll_amount\": 1 to 100 wheel clicks") }
            let held = ToolKeyNames.holding(ToolKeyNames.modifiers(text), [.scroll(at: coordinate, direction: direction, notches: amount)])
            call.actions = held.actions
            call.cleanup = held.cleanup
        case "wait":
            let d = ToolJSON.number(input["duration"]) ?? 1
            guard d >= 0, d <= 100 else { return fail("wait needs \"duration\": seconds from 0 to 100") }
            call.actions = [.wait(seconds: d)]
        case "zoom":
            guard let r = input["region"]?.array, r.count == 4, let x0 = ToolJSON.number(r[0]), let y0 = ToolJSON.number(r[1]),
                  let x1 = ToolJSON.number(r[2]), let y1 = ToolJSON.number(r[3]), x1 > x0, y1 > y0 else {
                return fail("zoom needs \"region\": [x0, y0, x1, y1] with x1 > x0 and y1 > y0")
            }
            call.query = .zoom(ModelPoint(x: x0, y: y0), ModelPoint(x: x1, y: y1))
        default:
            return fail("unknown computer action '\(action)'")
        }
        return call
    }
}
