import Foundation

/// An answer as an array of characters, with positions turned into line/column for errors.
struct SourceText {
    let raw: String
    let chars: [Character]

    init(_ raw: String) {
        self.raw = raw
        self.chars = Array(raw)
    }

    var count: Int { chars.count }

    func error(_ message: String, at offset: Int) -> ParseError {
        let off = min(max(0, offset), chars.count)
        var line = 1, lineStart = 0
        var i = 0
        while i < off {
            if chars[i].isNewline { line += 1; lineStart = i + 1 }
            i += 1
        }
        var end = lineStart
        while end < chars.count, !chars[end].isNewline { end += 1 }
        var excerpt = String(chars[lineStart..<end])
        if excerpt.count > 200 { excerpt = String(excerpt.prefix(200)) + "…" }
        return ParseError(message: message, offset: off, line: line, column: off - lineStart + 1, excerpt: excerpt)
    }

    func string(_ range: Range<Int>) -> String { String(chars[range]) }

    /// True when `literal` occurs at `offset` in `text`.
    static func matches(_ text: [Character], _ literal: String, at offset: Int) -> Bool {
        var i = offset
        for c in literal {
            guard i < text.count, text[i] == c else { return false }
            i += 1
        }
        return true
    }

    /// The first offset ≥ `from` where `literal` occurs in `text`.
    static func find(_ text: [Character], _ literal: String, from: Int) -> Int? {
        guard let first = literal.first else { return nil }
        var i = max(0, from)
        while i < text.count {
            if text[i] == first, matches(text, literal, at: i) { return i }
            i += 1
        }
        return nil
    }
}

/// Hidden-reasoning blocks (`<think>…</think>`, `<think_never_used_…>…</think_never_used_…>`,
/// `<gui_think>…</gui_think>`), found and blanked out so the rest can be parsed with positions intact.
struct ThinkBlocks {
    /// The text with every block's characters replaced by spaces (newlines kept, so lines still count).
    var masked: [Character]
    /// The blocks' contents, trimmed, in order.
    var contents: [String]

    static let openers = ["<think", "<gui_think"]

    static func extract(from source: SourceText) -> Result<ThinkBlocks, ParseError> {
        var masked = source.chars
        var contents: [String] = []
        let chars = source.chars
        var i = 0
        while i < chars.count {
            guard chars[i] == "<", let opener = openers.first(where: { SourceText.matches(chars, $0, at: i) }) else {
                i += 1
                continue
            }
            // Tag name: the opener plus [A-Za-z0-9_]*, then `>`.
            var j = i + opener.count
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
            guard j < chars.count, chars[j] == ">" else { i += 1; continue }
            let name = String(chars[(i + 1)..<j])
            let closer = "</\(name)>"
            guard let end = SourceText.find(chars, closer, from: j + 1) else {
                return .failure(source.error("<\(name)> is never closed: expected \(closer) before the action", at: i))
            }
            contents.append(String(chars[(j + 1)..<end]).trimmingCharacters(in: .whitespacesAndNewlines))
            let stop = end + closer.count
            for k in i..<stop where !chars[k].isNewline { masked[k] = " " }
            i = stop
        }
        return .success(ThinkBlocks(masked: masked, contents: contents))
    }

    var reasoning: String? {
        let joined = contents.filter { !$0.isEmpty }.joined(separator: "\n\n")
        return joined.isEmpty ? nil : joined
    }
}
