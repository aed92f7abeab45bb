import DeskCore
import Foundation

/// The UI-TARS / Seed text grammar, shared by the `ui-tars-*` and `seed` dialects:
///
/// ```
/// [<think…>…</think…>] [Thought: … | Reflection: … Action_Summary: … | Action_Summary: …]
/// Action: name(key='value', …) [blank line name(…)]…
/// ```
///
/// Accepts `Action：` (full-width colon), a missing `Action:` prefix, single or double quotes, escaped
/// quotes and `\n` in values, unescaped quotes inside `type` content (a value ends at a quote followed
/// by `)` or `, key=`), and a missing final `)`. Everything else is a ``ParseError``.
public enum TextActionParser {
    public static func parse(_ text: String) -> Result<ParsedAnswer, ParseError> {
        let source = SourceText(text)
        let blocks: ThinkBlocks
        switch ThinkBlocks.extract(from: source) {
        case .success(let b): blocks = b
        case .failure(let e): return .failure(e)
        }
        let chars = blocks.masked

        let (preface, actionStart) = locateActions(chars)
        guard let actionStart else {
            let hint = "expected 'Action: ' followed by a call such as click(start_box='(x,y)')"
            let at = chars.lastIndex(where: { !$0.isWhitespace }).map { $0 + 1 } ?? 0
            return .failure(source.error("no action found; \(hint)", at: at))
        }
        var answer = ParsedAnswer(actions: [], raw: text)
        answer.reasoning = blocks.reasoning
        let labels = prefaceLabels(String(chars[0..<preface]))
        answer.thought = labels.thought
        answer.reflection = labels.reflection

        var scanner = CallScanner(chars: chars, source: source, position: actionStart)
        switch scanner.scanCalls() {
        case .failure(let e): return .failure(e)
        case .success(let calls):
            for call in calls {
                switch ActionBuilder.build(call, in: source) {
                case .success(let actions): answer.actions += actions
                case .failure(let e): return .failure(e)
                }
            }
        }
        return .success(answer)
    }

    /// Where the calls start (after `Action:`), and where the text before the marker ends.
    static func locateActions(_ chars: [Character]) -> (preface: Int, start: Int?) {
        let markers = ["Action:", "Action："]
        func markerAt(_ i: Int) -> String? { markers.first { SourceText.matches(chars, $0, at: i) } }
        // Prefer a marker at the start of a line; the first one wins, since the calls follow it.
        var lineStart = true
        var anywhere: (Int, String)?
        for i in chars.indices {
            if chars[i] == "A", let m = markerAt(i) {
                if lineStart { return (i, skipSpaces(chars, i + m.count)) }
                if anywhere == nil, i > 0, chars[i - 1].isWhitespace { anywhere = (i, m) }
            }
            if chars[i].isNewline { lineStart = true } else if !chars[i].isWhitespace { lineStart = false }
        }
        if let (i, m) = anywhere { return (i, skipSpaces(chars, i + m.count)) }
        // No marker: the answer may be just the call(s).
        let first = skipSpaces(chars, 0)
        var j = first
        while j < chars.count, chars[j].isLetter || chars[j] == "_" || (j > first && chars[j].isNumber) { j += 1 }
        if j > first, skipInline(chars, j) < chars.count, chars[skipInline(chars, j)] == "(" { return (first, first) }
        return (chars.count, nil)
    }

    static func skipSpaces(_ chars: [Character], _ i: Int) -> Int {
        var i = i
        while i < chars.count, chars[i].isWhitespace { i += 1 }
        return i
    }

    static func skipInline(_ chars: [Character], _ i: Int) -> Int {
        var i = i
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        return i
    }

    /// Splits the text before `Action:` into its labelled parts.
    static func prefaceLabels(_ text: String) -> (thought: String?, reflection: String?) {
        func after(_ label: String, until stops: [String]) -> String? {
            guard let r = text.range(of: label) else { return nil }
            var rest = text[r.upperBound...]
            for stop in stops { if let s = rest.range(of: stop) { rest = rest[..<s.lowerBound] } }
            let t = rest.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        let reflection = after("Reflection:", until: ["Action_Summary:", "Thought:"])
        let thought = after("Thought:", until: ["Reflection:", "Action_Summary:"])
            ?? after("Action_Summary:", until: ["Thought:"])
        if thought == nil, reflection == nil {
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return (t.isEmpty ? nil : t, nil)
        }
        return (thought, reflection)
    }
}

/// Scans `name(key='value', …)` calls separated by whitespace (a blank line in practice).
struct CallScanner {
    let chars: [Character]
    let source: SourceText
    var position: Int

    mutating func scanCalls() -> Result<[ActionCall], ParseError> {
        var calls: [ActionCall] = []
        while true {
            position = TextActionParser.skipSpaces(chars, position)
            if position >= chars.count { break }
            // A closing code fence after the last call is harmless.
            if SourceText.matches(chars, "```", at: position),
               TextActionParser.skipSpaces(chars, position + 3) >= chars.count { break }
            switch scanCall() {
            case .success(let c): calls.append(c)
            case .failure(let e): return .failure(e)
            }
        }
        if calls.isEmpty { return .failure(source.error("'Action:' is followed by no call", at: position)) }
        return .success(calls)
    }

    mutating func scanCall() -> Result<ActionCall, ParseError> {
        let start = position
        guard let name = identifier() else {
            return .failure(source.error("expected an action call such as click(start_box='(x,y)')", at: start))
        }
        position = TextActionParser.skipInline(chars, position)
        guard position < chars.count, chars[position] == "(" else {
            return .failure(source.error("expected '(' after action name '\(name)'", at: position))
        }
        position += 1
        var args: [ActionCall.Argument] = []
        while true {
            position = TextActionParser.skipSpaces(chars, position)
            guard position < chars.count else {
                return .failure(source.error("\(name)( is not closed: expected ')'", at: position))
            }
            if chars[position] == ")" { position += 1; break }
            let keyAt = position
            guard let key = identifier() else {
                return .failure(source.error("expected an argument name (like start_box=) in \(name)(…)", at: keyAt))
            }
            position = TextActionParser.skipSpaces(chars, position)
            guard position < chars.count, chars[position] == "=" else {
                return .failure(source.error("expected '=' after argument '\(key)'", at: position))
            }
            position = TextActionParser.skipSpaces(chars, position + 1)
            let valueAt = position
            let value: String
            var quoted = false
            if position < chars.count, chars[position] == "'" || chars[position] == "\"" {
                switch quotedValue() {
                case .success(let v): value = v; quoted = true
                case .failure(let e): return .failure(e)
                }
            } else {
                switch bareValue(key: key) {
                case .success(let v): value = v
                case .failure(let e): return .failure(e)
                }
            }
            args.append(.init(key: key, value: value, offset: valueAt))
            position = TextActionParser.skipInline(chars, position)
            if position < chars.count, chars[position] == "," { position += 1; continue }
            if position < chars.count, chars[position] == ")" { position += 1; break }
            // A quoted last value with the `)` missing: the reference appends it, so do we.
            if quoted, TextActionParser.skipSpaces(chars, position) >= chars.count { position = chars.count; break }
            return .failure(source.error("expected ',' or ')' after the value of '\(key)'", at: position))
        }
        return .success(ActionCall(name: name, offset: start, arguments: args))
    }

    mutating func identifier() -> String? {
        let start = position
        while position < chars.count {
            let c = chars[position]
            guard c.isASCII, c.isLetter || c == "_" || (position > start && c.isNumber) else { break }
            position += 1
        }
        return position > start ? String(chars[start..<position]) : nil
    }

    /// A quoted value. It ends at the first matching quote that is followed by `)`, by `, key=`, or by
    /// the end of the answer; so `type(content='it's')` keeps its apostrophe.
    mutating func quotedValue() -> Result<String, ParseError> {
        let quote = chars[position]
        let open = position
        var i = position + 1
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if c == quote, closes(after: i + 1) {
                let value = Self.unescape(chars[(open + 1)..<i])
                position = i + 1
                return .success(value)
            }
            i += 1
        }
        return .failure(source.error("the value opened with \(quote) is never closed", at: open))
    }

    func closes(after i: Int) -> Bool {
        let j = TextActionParser.skipInline(chars, i)
        if j >= chars.count || TextActionParser.skipSpaces(chars, j) >= chars.count { return true }
        if chars[j] == ")" { return true }
        guard chars[j] == "," else { return false }
        var k = TextActionParser.skipSpaces(chars, j + 1)
        let s = k
        while k < chars.count, chars[k].isASCII, chars[k].isLetter || chars[k] == "_" || (k > s && chars[k].isNumber) { k += 1 }
        guard k > s else { return false }
        k = TextActionParser.skipSpaces(chars, k)
        return k < chars.count && chars[k] == "="
    }

    /// An unquoted value such as `(100,200)` or `[1, 2, 3, 4]`: up to a top-level `,` or `)`.
    mutating func bareValue(key: String) -> Result<String, ParseError> {
        let start = position
        var depth = 0
        while position < chars.count {
            let c = chars[position]
            if c == "(" || c == "[" { depth += 1 }
            else if c == ")" || c == "]" {
                if depth == 0 { break }
                depth -= 1
            } else if c == ",", depth == 0 { break }
            else if c.isNewline { break }
            position += 1
        }
        let v = String(chars[start..<position]).trimmingCharacters(in: .whitespaces)
        if v.isEmpty { return .failure(source.error("argument '\(key)' has no value", at: start)) }
        return .success(v)
    }

    /// Python-style escapes: `\n`, `\t`, `\'`, `\"`, `\\`; any other backslash stays as written.
    static func unescape(_ s: ArraySlice<Character>) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "\\", i + 1 < s.endIndex {
                switch s[i + 1] {
                case "n": out.append("\n"); i += 2; continue
                case "t": out.append("\t"); i += 2; continue
                case "'", "\"", "\\": out.append(s[i + 1]); i += 2; continue
                default: break
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
