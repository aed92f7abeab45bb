import DeskCore
import Foundation

/// The Seed / UI-TARS-2 XML tool-call format (`seed-xml` dialect):
///
/// ```
/// <seed:tool_call>
/// <function=click>
/// <parameter=point><point>17 58</point></parameter>
/// </function>
/// </seed:tool_call>
/// ```
///
/// Tag names may carry the `_never_used_<hash>` suffix the real models emit
/// (`<function_never_used_51bc…=click>`). Several functions in one block are one multi-action step.
/// Values are taken verbatim (no escapes); points need `<point>x y</point>`.
public enum SeedXMLParser {
    public static func parse(_ text: String) -> Result<ParsedAnswer, ParseError> {
        let source = SourceText(text)
        let blocks: ThinkBlocks
        switch ThinkBlocks.extract(from: source) {
        case .success(let b): blocks = b
        case .failure(let e): return .failure(e)
        }
        let chars = blocks.masked
        let open = "<seed:tool_call>", close = "</seed:tool_call>"
        guard let first = SourceText.find(chars, open, from: 0) else {
            return .failure(source.error("no <seed:tool_call> block; expected <seed:tool_call><function=NAME>"
                + "<parameter=KEY>VALUE</parameter></function></seed:tool_call>", at: 0))
        }
        var outside = String(chars[0..<first])
        var calls: [ActionCall] = []
        var pos = first
        while let start = SourceText.find(chars, open, from: pos) {
            if start > pos { outside += String(chars[pos..<start]) }
            let bodyStart = start + open.count
            guard let end = SourceText.find(chars, close, from: bodyStart) else {
                return .failure(source.error("<seed:tool_call> is never closed: expected \(close)", at: start))
            }
            switch functions(in: chars, from: bodyStart, to: end, source: source) {
            case .success(let c): calls += c
            case .failure(let e): return .failure(e)
            }
            pos = end + close.count
        }
        if pos < chars.count { outside += String(chars[pos...]) }
        if calls.isEmpty { return .failure(source.error("<seed:tool_call> holds no <function=…>", at: first)) }

        var answer = ParsedAnswer(actions: [], raw: text)
        answer.reasoning = blocks.reasoning
        let t = outside.trimmingCharacters(in: .whitespacesAndNewlines)
        answer.thought = t.isEmpty ? blocks.reasoning : t
        for call in calls {
            switch ActionBuilder.build(call, in: source) {
            case .success(let a): answer.actions += a
            case .failure(let e): return .failure(e)
            }
        }
        return .success(answer)
    }

    /// Reads `<NAME[_suffix]=VALUE>` at `i`; returns the value and the offset after `>`.
    static func tag(_ chars: [Character], _ name: String, at i: Int, limit: Int) -> (value: String, next: Int)? {
        guard SourceText.matches(chars, "<" + name, at: i) else { return nil }
        var j = i + 1 + name.count
        while j < limit, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
        guard j < limit, chars[j] == "=" else { return nil }
        let vs = j + 1
        var k = vs
        while k < limit, chars[k] != ">", !chars[k].isNewline { k += 1 }
        guard k < limit, chars[k] == ">", k > vs else { return nil }
        return (String(chars[vs..<k]).trimmingCharacters(in: .whitespaces), k + 1)
    }

    /// Finds `</NAME[_suffix]>` from `i`; returns its start and the offset after it.
    static func closing(_ chars: [Character], _ name: String, from i: Int, limit: Int) -> (start: Int, next: Int)? {
        var p = i
        while let s = SourceText.find(chars, "</" + name, from: p), s < limit {
            var j = s + 2 + name.count
            while j < limit, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
            if j < limit, chars[j] == ">" { return (s, j + 1) }
            p = s + 1
        }
        return nil
    }

    static func functions(in chars: [Character], from: Int, to limit: Int,
                          source: SourceText) -> Result<[ActionCall], ParseError> {
        var calls: [ActionCall] = []
        var i = TextActionParser.skipSpaces(chars, from)
        while i < limit {
            guard let (name, bodyStart) = tag(chars, "function", at: i, limit: limit) else {
                return .failure(source.error("expected <function=NAME> inside <seed:tool_call>", at: i))
            }
            guard let (bodyEnd, next) = closing(chars, "function", from: bodyStart, limit: limit) else {
                return .failure(source.error("<function=\(name)> is never closed: expected </function>", at: i))
            }
            var args: [ActionCall.Argument] = []
            var j = TextActionParser.skipSpaces(chars, bodyStart)
            while j < bodyEnd {
                guard let (key, valueStart) = tag(chars, "parameter", at: j, limit: bodyEnd) else {
                    return .failure(source.error("expected <parameter=KEY> inside <function=\(name)>", at: j))
                }
                guard let (valueEnd, after) = closing(chars, "parameter", from: valueStart, limit: bodyEnd) else {
                    return .failure(source.error("<parameter=\(key)> is never closed: expected </parameter>", at: j))
                }
                args.append(.init(key: key, value: String(chars[valueStart..<valueEnd]), offset: valueStart))
                j = TextActionParser.skipSpaces(chars, after)
            }
            calls.append(ActionCall(name: name, offset: i, arguments: args))
            i = TextActionParser.skipSpaces(chars, next)
        }
        return .success(calls)
    }
}
