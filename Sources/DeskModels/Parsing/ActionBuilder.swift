import DeskCore
import Foundation

/// Gives the UI-TARS / Seed action vocabulary its meaning: turns one ``ActionCall`` (from the text
/// grammar or from Seed XML) into actions, strictly: unknown names, unknown or repeated arguments,
/// missing points and bad values are errors that say what was expected.
enum ActionBuilder {
    /// Scroll notches for one `scroll(...)`: the reference executor does `pyautogui.scroll(±5)`.
    static let scrollNotches = 5
    /// Seconds for a bare `wait()`: the prompts say "Sleep for 5s".
    static let defaultWait = 5.0

    static let startKeys = ["start_box", "point", "start_point", "mark"]
    static let endKeys = ["end_box", "end_point", "end_mark"]
    /// Keys that take a Set-of-Mark number instead of a point (`click(mark=17)`).
    static let markKeys: Set<String> = ["mark", "end_mark"]
    static let contentKeys = ["content", "text"]
    static let keyKeys = ["key", "hotkey", "keys"]
    /// Keys whose format writes `<point>x y</point>`.
    static let taggedKeys: Set<String> = ["point", "start_point", "end_point"]

    private enum Shape {
        case click(MouseButton, Int), move, drag, scroll, hotkey, press, release, type, wait
        case finished, callUser, infeasible, mouseDown, mouseUp
    }

    private static let names: [String: Shape] = [
        "click": .click(.left, 1), "left_single": .click(.left, 1), "left_click": .click(.left, 1),
        "left_double": .click(.left, 2), "double_click": .click(.left, 2), "left_double_click": .click(.left, 2),
        "left_triple": .click(.left, 3), "triple_click": .click(.left, 3),
        "right_single": .click(.right, 1), "right_click": .click(.right, 1),
        "middle_single": .click(.middle, 1), "middle_click": .click(.middle, 1),
        "hover": .move, "move_to": .move, "mouse_move": .move,
        "drag": .drag, "select": .drag, "left_drag": .drag,
        "scroll": .scroll,
        "hotkey": .hotkey,
        "press": .press, "keydown": .press, "key_down": .press,
        "release": .release, "keyup": .release, "key_up": .release,
        "type": .type, "wait": .wait,
        "finished": .finished, "call_user": .callUser, "infeasible": .infeasible, "error_env": .infeasible,
        "mouse_down": .mouseDown, "mouse_up": .mouseUp,
    ]

    /// The action names this builder understands, sorted (for error messages and docs).
    static var knownNames: [String] { names.keys.sorted() }

    static func build(_ call: ActionCall, in source: SourceText) -> Result<[ModelAction], ParseError> {
        let name = call.name.lowercased()
        guard let shape = names[name] else {
            return .failure(source.error(
                "unknown action '\(call.name)'; known actions: \(knownNames.joined(separator: ", "))", at: call.offset))
        }
        var seen = Set<String>()
        for arg in call.arguments {
            guard seen.insert(arg.key).inserted else {
                return .failure(source.error("\(call.name) has argument '\(arg.key)' twice", at: arg.offset))
            }
        }
        let allowed: [String]
        switch shape {
        case .click, .move: allowed = startKeys
        case .drag: allowed = startKeys + endKeys
        case .scroll: allowed = startKeys + ["direction"]
        case .hotkey, .press, .release: allowed = keyKeys
        case .type, .finished, .callUser, .infeasible: allowed = contentKeys
        case .wait: allowed = ["time"]
        case .mouseDown, .mouseUp: allowed = startKeys + ["button"]
        }
        if let bad = call.arguments.first(where: { !allowed.contains($0.key) }) {
            return .failure(source.error(
                "\(call.name) takes no argument '\(bad.key)'; it takes \(allowed.joined(separator: ", "))", at: bad.offset))
        }
        if let dup = [startKeys, endKeys, contentKeys, keyKeys].first(where: { group in
            call.arguments.filter { group.contains($0.key) }.count > 1
        }) {
            return .failure(source.error("\(call.name) gives more than one of \(dup.joined(separator: "/"))", at: call.offset))
        }

        func point(_ keys: [String], required: Bool) -> Result<ModelPoint?, ParseError> {
            guard let arg = call.argument(keys) else {
                if required {
                    return .failure(source.error("\(call.name) needs \(keys.joined(separator: " or ")) with a point", at: call.offset))
                }
                return .success(nil)
            }
            if markKeys.contains(arg.key) {
                switch PointText.markNumber(arg.value, key: arg.key) {
                case .success(let id): return .success(.mark(id))
                case .failure(let problem): return .failure(source.error(problem.reason, at: arg.offset))
                }
            }
            switch PointText.parse(arg.value, key: arg.key, requireTags: taggedKeys.contains(arg.key)) {
            case .success(let p): return .success(p)
            case .failure(let problem): return .failure(source.error(problem.reason, at: arg.offset))
            }
        }
        func text(_ keys: [String]) -> String? {
            guard let v = call.argument(keys)?.value else { return nil }
            return v.isEmpty ? nil : v
        }
        func button() -> Result<MouseButton, ParseError> {
            guard let arg = call.argument(["button"]) else { return .success(.left) }
            guard let b = MouseButton(rawValue: arg.value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                return .failure(source.error("button='\(arg.value)' is not left, right or middle", at: arg.offset))
            }
            return .success(b)
        }

        do throws(ParseError) {
            switch shape {
            case .click(let b, let n):
                let p = try point(startKeys, required: true).get()
                return .success([.click(at: p, button: b, count: n)])
            case .move:
                guard let p = try point(startKeys, required: true).get() else { break }
                return .success([.move(to: p)])
            case .drag:
                guard let a = try point(startKeys, required: true).get(),
                      let b = try point(endKeys, required: true).get() else { break }
                return .success([.drag(from: a, to: b, button: .left)])
            case .scroll:
                let p = try point(startKeys, required: false).get()
                guard let arg = call.argument(["direction"]) else {
                    return .failure(source.error("scroll needs direction='up', 'down', 'left' or 'right'", at: call.offset))
                }
                guard let d = ScrollDirection(rawValue: arg.value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    return .failure(source.error("direction='\(arg.value)' is not up, down, left or right", at: arg.offset))
                }
                return .success([.scroll(at: p, direction: d, notches: scrollNotches)])
            case .hotkey, .press, .release:
                guard let k = text(keyKeys)?.trimmingCharacters(in: .whitespacesAndNewlines), !k.isEmpty else {
                    return .failure(source.error("\(call.name) needs a non-empty key, e.g. key='ctrl c'", at: call.offset))
                }
                if case .hotkey = shape { return .success([.key(chord: k)]) }
                if case .press = shape { return .success([.press(key: k)]) }
                return .success([.release(key: k)])
            case .type:
                guard let t = text(contentKeys) else {
                    return .failure(source.error("type needs non-empty content='…'", at: call.offset))
                }
                return .success([.type(text: t)])
            case .wait:
                guard let arg = call.argument(["time"]) else { return .success([.wait(seconds: defaultWait)]) }
                let v = arg.value.trimmingCharacters(in: .whitespaces)
                let s = v.hasSuffix("s") ? String(v.dropLast()) : v
                guard let secs = PointText.number(Substring(s)), secs >= 0, secs <= 600 else {
                    return .failure(source.error("time='\(arg.value)' is not a number of seconds (0–600)", at: arg.offset))
                }
                return .success([.wait(seconds: secs)])
            case .finished:
                return .success([.finished(message: text(contentKeys))])
            case .callUser:
                return .success([.callUser(question: text(contentKeys))])
            case .infeasible:
                return .success([.infeasible(reason: text(contentKeys))])
            case .mouseDown:
                let p = try point(startKeys, required: false).get()
                return .success([.mouseDown(at: p, button: try button().get())])
            case .mouseUp:
                let p = try point(startKeys, required: false).get()
                return .success([.mouseUp(at: p, button: try button().get())])
            }
        } catch {
            return .failure(error)
        }
        return .failure(source.error("\(call.name) needs a point", at: call.offset))
    }
}
