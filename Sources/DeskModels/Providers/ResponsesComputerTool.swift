import DeskCore
import Foundation

/// The OpenAI Responses computer tool's types, as data: `computer_use_preview` (declared with the display
/// size and environment) and the newer `computer` (batched `actions[]`).
public struct ResponsesToolVersion: Sendable, Hashable {
    public var type: String
    /// True when the declaration carries `display_width`, `display_height` and `environment`.
    public var declaresDisplay: Bool

    public static let all = [ResponsesToolVersion(type: "computer_use_preview", declaresDisplay: true),
                             ResponsesToolVersion(type: "computer", declaresDisplay: true)]
    public static let defaultType = "computer_use_preview"

    public static func named(_ type: String?) throws(InputError) -> ResponsesToolVersion {
        let key = type ?? defaultType
        if let v = all.first(where: { $0.type == key }) { return v }
        throw InputError("unknown OpenAI computer tool type '\(key)'; known: \(all.map(\.type).joined(separator: ", "))")
    }

    public func declaration(display size: Size) -> JSONValue {
        var tool: [String: JSONValue] = ["type": .string(type)]
        if declaresDisplay {
            tool["display_width"] = .number(Double(size.width))
            tool["display_height"] = .number(Double(size.height))
            tool["environment"] = .string("linux")
        }
        return .object(tool)
    }
}

/// Reads a `computer_call`'s action (or each of its batched `actions[]`) into deskpilot actions.
public enum ResponsesActionReader {
    /// Scroll pixels per wheel click: the tool speaks pixels, X speaks notches.
    public static let pixelsPerNotch = 100.0

    /// The actions of one OpenAI action object, or why it cannot be run.
    struct Read {
        var actions: [ModelAction]
        var cleanup: [ModelAction] = []
        var query: ComputerToolQuery? = nil
    }
    struct Unreadable: Error { var why: String }

    static func actions(_ a: JSONValue) -> Result<Read, Unreadable> {
        let type = a["type"]?.string ?? ""
        func point() -> ModelPoint? {
            guard let x = ToolJSON.number(a["x"]), let y = ToolJSON.number(a["y"]) else { return nil }
            return ModelPoint(x: x, y: y)
        }
        switch type {
        case "click", "double_click":
            guard let p = point() else { return .failure(Unreadable(why: "\(type) needs numbers \"x\" and \"y\"")) }
            let count = type == "double_click" ? 2 : 1
            let button = a["button"]?.string ?? "left"
            let held = ToolKeyNames.modifiers(a["keys"]?.array?.compactMap(\.string).joined(separator: "+"))
            switch button {
            case "left", "right", "wheel", "middle":
                let b: MouseButton = button == "right" ? .right : button == "left" ? .left : .middle
                let h = ToolKeyNames.holding(held, [.click(at: p, button: b, count: count)])
                return .success(Read(actions: h.actions, cleanup: h.cleanup))
            case "back", "forward":
                // X has no portable "back" button number for every toolkit; browsers and file managers bind
                // alt+Left / alt+Right, which is what the button means to them.
                let chord = button == "back" ? "alt+Left" : "alt+Right"
                return .success(Read(actions: [.move(to: p), .key(chord: chord)]))
            default: return .failure(Unreadable(why: "click has an unknown \"button\" '\(button)' (left, right, wheel, back, forward)"))
            }
        case "drag":
            guard let path = a["path"]?.array, path.count >= 2 else { return .failure(Unreadable(why: "drag needs a \"path\" of at least two {x, y} points")) }
            var points: [ModelPoint] = []
            for p in path {
                guard let x = ToolJSON.number(p["x"]), let y = ToolJSON.number(p["y"]) else {
                    return .failure(Unreadable(why: "drag: every point of \"path\" needs numbers \"x\" and \"y\""))
                }
                points.append(ModelPoint(x: x, y: y))
            }
            if points.count == 2 { return .success(Read(actions: [.drag(from: points[0], to: points[1], button: .left)])) }
            var steps: [ModelAction] = [.move(to: points[0]), .mouseDown(at: points[0], button: .left)]
            steps += points.dropFirst().dropLast().map { .move(to: $0) }
            steps.append(.mouseUp(at: points[points.count - 1], button: .left))
            return .success(Read(actions: steps, cleanup: [.mouseUp(at: nil, button: .left)]))
        case "keypress":
            guard let keys = a["keys"]?.array?.compactMap(\.string), !keys.isEmpty else { return .failure(Unreadable(why: "keypress needs \"keys\": a list of key names")) }
            return .success(Read(actions: [.key(chord: ToolKeyNames.chord(keys))]))
        case "move":
            guard let p = point() else { return .failure(Unreadable(why: "move needs numbers \"x\" and \"y\"")) }
            return .success(Read(actions: [.move(to: p)]))
        case "scroll":
            let p = point()
            let sx = ToolJSON.number(a["scroll_x"]) ?? 0, sy = ToolJSON.number(a["scroll_y"]) ?? 0
            guard sx != 0 || sy != 0 else { return .failure(Unreadable(why: "scroll needs a non-zero \"scroll_x\" or \"scroll_y\"")) }
            var steps: [ModelAction] = []
            func notches(_ v: Double) -> Int { min(100, max(1, Int((abs(v) / pixelsPerNotch).rounded()))) }
            if sy != 0 { steps.append(.scroll(at: p, direction: sy > 0 ? .down : .up, notches: notches(sy))) }
            if sx != 0 { steps.append(.scroll(at: p, direction: sx > 0 ? .right : .left, notches: notches(sx))) }
            return .success(Read(actions: steps))
        case "type":
            guard let t = a["text"]?.string, !t.isEmpty else { return .failure(Unreadable(why: "type needs a non-empty \"text\"")) }
            return .success(Read(actions: [.type(text: t)]))
        case "wait":
            let ms = ToolJSON.number(a["ms"]) ?? ToolJSON.number(a["duration"]).map { $0 * 1000 } ?? 2000
            return .success(Read(actions: [.wait(seconds: min(100, max(0, ms / 1000)))]))
        case "screenshot":
            return .success(Read(actions: [], query: .screenshot))
        case "":
            return .failure(Unreadable(why: "the computer_call action has no \"type\""))
        default:
            return .failure(Unreadable(why: "unknown computer action '\(type)'"))
        }
    }

    /// One `computer_call` item.
    public static func call(_ item: JSONValue) -> ComputerToolCall {
        let id = item["call_id"]?.string ?? item["id"]?.string ?? ""
        let checks = (item["pending_safety_checks"]?.array ?? []).compactMap { c -> SafetyCheck? in
            guard let cid = c["id"]?.string else { return nil }
            return SafetyCheck(id: cid, code: c["code"]?.string, message: c["message"]?.string)
        }
        let list: [JSONValue] = item["actions"]?.array ?? (item["action"].map { [$0] } ?? [])
        var call = ComputerToolCall(id: id, name: list.compactMap { $0["type"]?.string }.joined(separator: "+"),
                                    safetyChecks: checks, input: item["actions"] ?? item["action"] ?? .null)
        guard !list.isEmpty else { call.error = "the computer_call has no \"action\""; return call }
        for a in list {
            switch actions(a) {
            case .success(let r):
                call.actions += r.actions
                call.cleanup += r.cleanup
                if let q = r.query { call.query = q }
            case .failure(let failure):
                call.error = failure.why
                call.actions = []
                return call
            }
        }
        return call
    }
}
