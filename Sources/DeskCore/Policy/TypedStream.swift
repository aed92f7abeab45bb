/// What the policy believes has been typed into one window, kept as the candidates the text rules judge.
///
/// deskpilot cannot see where the caret is or what an editing key did, so it keeps every reading it
/// cannot rule out and a text rule that matches any of them refuses the action:
/// - ``edited``: the field as a line editor with the caret at the end holds it — BackSpace (any
///   modifiers), ctrl+h, word kills (ctrl+w, ctrl/alt+BackSpace) and line kills (ctrl+u) applied;
///   every other edit assumed to have done nothing;
/// - ``sinceReset``: only what was typed since the last edit whose effect cannot be known (Escape,
///   ctrl+c, Home/End and other caret moves, select-all, Delete, ctrl+k, a click, any other shortcut):
///   the field as if that edit had emptied the line or moved the caret to its start;
/// - ``raw``: everything typed, deletions ignored.
///
/// All three are folded by ``TextNormalizer`` and keep the last `limit` characters.
public struct TypedStream: Sendable, Hashable, Codable {
    public private(set) var raw = ""
    public private(set) var sinceReset = ""
    public private(set) var edited = ""
    /// How many characters each candidate keeps.
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    /// The distinct candidates, the edited reading first.
    public var candidates: [String] {
        var seen = Set<String>()
        return [edited, sinceReset, raw].filter { seen.insert($0).inserted }
    }

    /// An edit the typed stream models.
    public enum Edit: Sendable, Hashable {
        /// Text was inserted (already folded).
        case insert(String)
        /// One character before the caret was deleted.
        case deleteBackward
        /// The word before the caret was deleted.
        case deleteWord
        /// The line before the caret was deleted.
        case killLine
        /// The effect on the text cannot be known.
        case reset
    }

    public mutating func apply(_ edit: Edit) {
        switch edit {
        case .insert(let text):
            raw = Self.trimmed(raw + text, limit)
            sinceReset = Self.trimmed(sinceReset + text, limit)
            edited = Self.trimmed(edited + text, limit)
        case .deleteBackward:
            if !edited.isEmpty { edited.removeLast() }
            if !sinceReset.isEmpty { sinceReset.removeLast() }
        case .deleteWord:
            edited = Self.withoutLastWord(edited)
            sinceReset = Self.withoutLastWord(sinceReset)
        case .killLine:
            edited = Self.withoutLastLine(edited)
            sinceReset = ""
        case .reset:
            sinceReset = ""
        }
    }

    private static func trimmed(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.suffix(limit)) : text
    }

    /// Shells and text fields differ on what a word is; the shorter deletion (back to a space) leaves the
    /// most text, which is the conservative reading.
    private static func withoutLastWord(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        while let last = text.last, last != " ", last != "\t", last != "\n" { text.removeLast() }
        return String(text)
    }

    private static func withoutLastLine(_ text: String) -> String {
        guard let newline = text.lastIndex(of: "\n") else { return "" }
        return String(text[...newline])
    }
}
