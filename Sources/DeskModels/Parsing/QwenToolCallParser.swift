import DeskCore
import Foundation

/// Qwen2.5-VL function calls (`qwen2.5-vl` dialect): one or more
/// `<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "coordinate": [x, y]}}</tool_call>`
/// blocks. `mobile_use` calls that make sense on a desktop (click, long_press, swipe, type, key, wait,
/// terminate, system_button Enter) are accepted too. Coordinates are absolute on the smart-resized image.
public enum QwenToolCallParser {
    public static func parse(_ text: String) -> Result<ParsedAnswer, ParseError> {
        let source = SourceText(text)
        let blocks: ThinkBlocks
        switch ThinkBlocks.extract(from: source) {
        case .success(let b): blocks = b
        case .failure(let e): return .failure(e)
        }
        let chars = blocks.masked
        let open = "<tool_call>", close = "</tool_call>"
        guard let first = SourceText.find(chars, open, from: 0) else {
            return .failure(source.error("no <tool_call> block; expected <tool_call>{\"name\": \"computer_use\", "
                + "\"arguments\": {\"action\": …}}</tool_call>", at: 0))
        }
        var outside = String(chars[0..<first])
        var answer = ParsedAnswer(actions: [], raw: text)
        var pos = first
        while let start = SourceText.find(chars, open, from: pos) {
            if start > pos { outside += String(chars[pos..<start]) }
            let bodyStart = start + open.count
            // A missing close tag at the very end is tolerated: the JSON still has to be complete.
            let end = SourceText.find(chars, close, from: bodyStart) ?? chars.count
            let body = String(chars[bodyStart..<end])
            let jsonAt = TextActionParser.skipSpaces(chars, bodyStart)
            guard let json = JSONValue.parse(Data(body.utf8)), case .object = json else {
                return .failure(source.error("the <tool_call> body is not a JSON object", at: jsonAt))
            }
            switch actions(from: json, source: source, at: jsonAt) {
            case .success(let a): answer.actions += a
            case .failure(let e): return .failure(e)
            }
            pos = min(chars.count, end + close.count)
        }
        if pos < chars.count { outside += String(chars[pos...]) }
        answer.reasoning = blocks.reasoning
        let t = outside.trimmingCharacters(in: .whitespacesAndNewlines)
        answer.thought = t.isEmpty ? blocks.reasoning : t
        return .success(answer)
    }

    static func actions(from json: JSONValue, source: SourceText, at offset: Int) -> Result<[ModelAction], ParseError> {
        func fail(_ m: String) -> Result<[ModelAction], ParseError> { .failure(source.error(m, at: offset)) }
        guard let name = json["name"]?.string else { return fail("the tool call has no \"name\" string") }
        guard name == "computer_use" || name == "mobile_use" else {
            return fail("unknown tool '\(name)'; expected computer_use")
        }
        var argsValue = json["arguments"]
        // Some servers send `arguments` as a JSON string.
        if let s = argsValue?.string { argsValue = JSONValue.parse(Data(s.utf8)) }
        guard let args = argsValue?.object else { return fail("\(name) has no \"arguments\" object") }
        guard let action = args["action"]?.string else { return fail("\(name) arguments have no \"action\" string") }

        func coordinate(_ key: String, required: Bool) -> Result<ModelPoint?, ParseError> {
            // A Set-of-Mark number in place of the coordinate: "mark" for "coordinate", "mark2" for "coordinate2".
            let markKey = key == "coordinate" ? "mark" : key == "coordinate2" ? "mark2" : nil
            if let markKey, let m = args[markKey], m != .null {
                guard args[key] == nil || args[key] == .null else {
                    return .failure(source.error("\(action) gives both \"\(key)\" and \"\(markKey)\"; give one", at: offset))
                }
                guard let n = m.number, n.isFinite, n == n.rounded(), n >= 1, n <= 9999 else {
                    return .failure(source.error("\"\(markKey)\" of \(action) is not a mark number (an integer from the screenshot's marks)", at: offset))
                }
                return .success(.mark(Int(n)))
            }
            guard let v = args[key], v != .null else {
                return required ? .failure(source.error("\(action) needs \"\(key)\": [x, y]", at: offset)) : .success(nil)
            }
            guard let a = v.array, a.count == 2, let x = a[0].number, let y = a[1].number, x.isFinite, y.isFinite else {
                return .failure(source.error("\"\(key)\" of \(action) is not [x, y] with two numbers", at: offset))
            }
            return .success(ModelPoint(x: x, y: y))
        }
        func string(_ key: String) -> Result<String, ParseError> {
            guard let s = args[key]?.string, !s.isEmpty else {
                return .failure(source.error("\(action) needs a non-empty \"\(key)\" string", at: offset))
            }
            return .success(s)
        }
        func seconds(_ key: String, default d: Double) -> Result<Double, ParseError> {
            guard let v = args[key], v != .null else { return .success(d) }
            guard let n = v.number, n >= 0, n <= 600 else {
                return .failure(source.error("\"\(key)\" of \(action) is not a number of seconds (0–600)", at: offset))
            }
            return .success(n)
        }

        do throws(ParseError) {
            switch action {
            case "left_click", "click":
                return .success([.click(at: try coordinate("coordinate", required: name == "mobile_use").get(), button: .left, count: 1)])
            case "right_click":
                return .success([.click(at: try coordinate("coordinate", required: false).get(), button: .right, count: 1)])
            case "middle_click":
                return .success([.click(at: try coordinate("coordinate", required: false).get(), button: .middle, count: 1)])
            case "double_click":
                return .success([.click(at: try coordinate("coordinate", required: false).get(), button: .left, count: 2)])
            case "triple_click":
                return .success([.click(at: try coordinate("coordinate", required: false).get(), button: .left, count: 3)])
            case "mouse_move":
                guard let p = try coordinate("coordinate", required: true).get() else { break }
                return .success([.move(to: p)])
            case "left_click_drag":
                // Drags from wherever the pointer is, as the tool describes it.
                guard let p = try coordinate("coordinate", required: true).get() else { break }
                return .success([.mouseDown(at: nil, button: .left), .move(to: p), .mouseUp(at: p, button: .left)])
            case "swipe":
                guard let a = try coordinate("coordinate", required: true).get(),
                      let b = try coordinate("coordinate2", required: true).get() else { break }
                return .success([.drag(from: a, to: b, button: .left)])
            case "long_press":
                guard let p = try coordinate("coordinate", required: true).get() else { break }
                let t = try seconds("time", default: 1).get()
                return .success([.mouseDown(at: p, button: .left), .wait(seconds: t), .mouseUp(at: p, button: .left)])
            case "scroll":
                guard let px = args["pixels"]?.number, px.isFinite, px != 0, abs(px) <= 100 else {
                    return fail("scroll needs \"pixels\": a non-zero number of notches, positive = up, at most 100")
                }
                let p = try coordinate("coordinate", required: false).get()
                return .success([.scroll(at: p, direction: px > 0 ? .up : .down, notches: max(1, Int(abs(px).rounded())))])
            case "hscroll":
                // Qwen3-VL: horizontal wheel, positive = right (pyautogui's hscroll).
                guard let px = args["pixels"]?.number, px.isFinite, px != 0, abs(px) <= 100 else {
                    return fail("hscroll needs \"pixels\": a non-zero number of notches, positive = right, at most 100")
                }
                let p = try coordinate("coordinate", required: false).get()
                return .success([.scroll(at: p, direction: px > 0 ? .right : .left, notches: max(1, Int(abs(px).rounded())))])
            case "answer":
                // Qwen3-VL answers a question, then terminates; the answer is the run's final message.
                return .success([.finished(message: try string("text").get())])
            case "type":
                return .success([.type(text: try string("text").get())])
            case "key":
                if let keys = args["keys"]?.array {
                    let names = keys.compactMap(\.string)
                    guard !names.isEmpty, names.count == keys.count, names.allSatisfy({ !$0.isEmpty }) else {
                        return fail("key needs \"keys\": a non-empty list of key names")
                    }
                    return .success([.key(chord: names.joined(separator: "+"))])
                }
                if let k = args["keys"]?.string ?? args["text"]?.string, !k.isEmpty { return .success([.key(chord: k)]) }
                return fail("key needs \"keys\": a list of key names")
            case "system_button":
                let b = try string("button").get()
                guard b.lowercased() == "enter" else { return fail("system_button '\(b)' has no desktop equivalent") }
                return .success([.key(chord: "enter")])
            case "wait":
                return .success([.wait(seconds: try seconds("time", default: 5).get())])
            case "terminate":
                let status = args["status"]?.string ?? ""
                switch status {
                case "success": return .success([.finished(message: nil)])
                case "failure": return .success([.infeasible(reason: nil)])
                default: return fail("terminate needs \"status\": \"success\" or \"failure\"")
                }
            default:
                return fail("unknown \(name) action '\(action)'")
            }
        } catch {
            return .failure(error)
        }
        return fail("\(action) needs a coordinate")
    }
}
