import DeskCore

/// One direct action from a JSON object (`POST /actions`, the MCP tools).
///
/// `{"action": "click", "x": 10, "y": 20, "button": "left", "count": 1}`, `double_click`, `triple_click`,
/// `right_click`, `middle_click`; `move` (x, y); `drag` (x, y, to_x, to_y); `scroll` (direction, amount,
/// optional x, y); `key` (keys: a chord such as `ctrl+s`); `type` (text); `press`/`release` (key).
/// Coordinates are root-window pixels and must lie on the screen.
public enum ActionRequest {
    /// The action names understood.
    public static let names = ["click", "double_click", "triple_click", "right_click", "middle_click", "move", "drag",
                               "scroll", "key", "type", "press", "release"]

    static let fields: Set<String> = ["action", "x", "y", "to_x", "to_y", "button", "count", "direction", "amount",
                                      "keys", "text", "key", "display"]

    /// The action `body` describes, checked against `screen`.
    public static func action(from body: JSONBody, screen: Size) throws(APIError) -> ScreenAction {
        try body.rejectUnknown(fields, what: "an action")
        guard let name = try body.string("action") else {
            throw APIError(.badRequest, "'action' is required: one of \(names.joined(separator: ", "))")
        }
        func point(_ xKey: String, _ yKey: String, required: Bool) throws(APIError) -> Point? {
            let x = try body.int(xKey), y = try body.int(yKey)
            guard let x, let y else {
                if required || x != nil || y != nil {
                    throw APIError(.badRequest, "'\(name)' needs integer '\(xKey)' and '\(yKey)' (root-window pixels)")
                }
                return nil
            }
            guard x >= 0, y >= 0, x < screen.width, y < screen.height else {
                throw APIError(.badRequest, "(\(x),\(y)) is off the screen (\(screen.width)x\(screen.height))")
            }
            return Point(x: x, y: y)
        }
        func text(_ key: String) throws(APIError) -> String {
            guard let value = try body.string(key), !value.isEmpty else {
                throw APIError(.badRequest, "'\(name)' needs a non-empty '\(key)'")
            }
            return value
        }
        switch name {
        case "click", "double_click", "triple_click", "right_click", "middle_click":
            var button = MouseButton.left
            var count = try body.int("count") ?? 1
            switch name {
            case "double_click": count = 2
            case "triple_click": count = 3
            case "right_click": button = .right
            case "middle_click": button = .middle
            default:
                if let b = try body.string("button") {
                    guard let parsed = MouseButton(rawValue: b) else {
                        throw APIError(.badRequest, "'button' must be left, middle or right (got '\(b)')")
                    }
                    button = parsed
                }
            }
            guard (1...3).contains(count) else { throw APIError(.badRequest, "'count' must be 1, 2 or 3") }
            return .click(at: try point("x", "y", required: false), button: button, count: count)
        case "move":
            return .move(to: try point("x", "y", required: true) ?? Point(x: 0, y: 0))
        case "drag":
            guard let from = try point("x", "y", required: true), let to = try point("to_x", "to_y", required: true) else {
                throw APIError(.badRequest, "'drag' needs x, y, to_x and to_y")
            }
            return .drag(from: from, to: to, button: .left)
        case "scroll":
            let d = try body.string("direction") ?? "down"
            guard let direction = ScrollDirection(rawValue: d) else {
                throw APIError(.badRequest, "'direction' must be up, down, left or right (got '\(d)')")
            }
            let amount = try body.int("amount") ?? 3
            guard (1...50).contains(amount) else { throw APIError(.badRequest, "'amount' must be between 1 and 50") }
            return .scroll(at: try point("x", "y", required: false), direction: direction, notches: amount)
        case "key":
            return .key(chord: try text("keys"))
        case "type":
            return .type(text: try text("text"))
        case "press":
            return .press(key: try text("key"))
        case "release":
            return .release(key: try text("key"))
        default:
            throw APIError(.badRequest, "unknown action '\(name)'; known: \(names.joined(separator: ", "))")
        }
    }
}
