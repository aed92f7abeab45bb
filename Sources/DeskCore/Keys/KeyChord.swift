/// A key chord: modifiers held in order, then at most one other key, pressed and released together.
///
/// Parsed from what people and models write: `ctrl+shift+t`, `ctrl c` (space-separated, as UI-TARS
/// writes hotkeys), `Ctrl+Alt+Delete`, `ctrl + +` / `ctrl++` (ctrl and the plus key), `shift` alone.
/// Names are case-insensitive and go through ``KeyNameAliases`` and ``KeySymbolTable``; each key ends up
/// as a canonical X keysym name (``KeyName``). Letters are lowercase: `ctrl+C` is ctrl+c; write `shift`
/// to get a capital. Modifiers keep the order written (it is the press order); a non-modifier key may be
/// written anywhere but is always pressed last. A `+` with nothing after it (`ctrl+`) is an error, as the
/// author may have meant either `ctrl` or `ctrl+plus`; the space-separated `ctrl +` is ctrl and plus.
/// Encoded as its ``description`` string, which parses back to the same chord.
public struct KeyChord: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Modifier keys in the order to press them (released in reverse).
    public var modifiers: [KeyName]
    /// The one non-modifier key, or `nil` for a modifier-only chord like `shift` or `ctrl+alt`.
    public var key: KeyName?

    /// The longest chord text accepted; real chords are a few dozen characters.
    public static let maximumLength = 256
    /// The most keys one chord may hold (X servers and keyboards handle few simultaneous keys anyway).
    public static let maximumKeys = 8

    public init(modifiers: [KeyName], key: KeyName?) {
        self.modifiers = modifiers
        self.key = key
    }

    /// Every key in press order: modifiers first, then the key.
    public var keys: [KeyName] { modifiers + (key.map { [$0] } ?? []) }

    /// The generic modifier classes held, without duplicates, in ``ModifierClass`` order.
    public var modifierClasses: [ModifierClass] {
        Array(Set(modifiers.compactMap(\.modifierClass))).sorted()
    }

    /// The form policies match on: generic modifier names (`ctrl`, `alt`, `shift`, `super`, `altgr`) in that
    /// fixed order, then the key's lowercased keysym: `Control_R+Alt_L+Delete` → `ctrl+alt+delete`,
    /// `shift+ctrl+t` → `ctrl+shift+t`, `Page_Up` → `prior`.
    public var normalized: String {
        (modifierClasses.map(\.rawValue) + (key.map { [$0.matchName] } ?? [])).joined(separator: "+")
    }

    /// Keysym names joined by `+` in press order (`Control_L+Shift_L+t`); ``parse(_:)`` reads it back.
    public var description: String { keys.map(\.keysym).joined(separator: "+") }

    /// Parses a chord as written by a person, a task file or a model.
    ///
    /// - Throws: ``KeyChordError`` for an empty chord, a dangling `+`, an unknown name (with the closest
    ///   known names), or more than one non-modifier key.
    public static func parse(_ text: String) throws(KeyChordError) -> KeyChord {
        guard text.count <= maximumLength else {
            throw KeyChordError(chord: String(text.prefix(40)) + "…", message: "key chord is longer than \(maximumLength) characters")
        }
        let tokens = try tokenize(text)
        guard tokens.count <= maximumKeys else {
            throw KeyChordError(chord: text, message: "a key chord holds at most \(maximumKeys) keys, found \(tokens.count)")
        }
        var modifiers: [KeyName] = []
        var mainKeys: [(token: String, key: KeyName)] = []
        for token in tokens {
            guard let key = KeyName.lookup(token) else {
                let isWord = token.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
                if isWord {
                    throw KeyChordError(chord: text, message: "unknown key '\(token)' in key chord '\(text)'",
                                        suggestions: KeyNameSuggester.closest(to: token))
                }
                throw KeyChordError(chord: text, message: "'\(token)' in key chord '\(text)' is not a key name (use a keysym name such as 'minus', or one character)")
            }
            if key.isModifier {
                if !modifiers.contains(key) { modifiers.append(key) }
            } else {
                mainKeys.append((token, key))
            }
        }
        let distinct = mainKeys.reduce(into: [(token: String, key: KeyName)]()) { list, item in
            if !list.contains(where: { $0.key == item.key }) { list.append(item) }
        }
        if distinct.count > 1 {
            let names = distinct.map { "'\($0.token)'" }.joined(separator: " and ")
            throw KeyChordError(chord: text, message: "key chord '\(text)' has more than one key besides modifiers: \(names) (send separate key actions for a sequence)")
        }
        return KeyChord(modifiers: modifiers, key: distinct.first?.key)
    }

    /// Splits chord text into key tokens; `+` and runs of whitespace separate, and a `+` where a key is
    /// expected is the plus key itself.
    static func tokenize(_ text: String) throws(KeyChordError) -> [String] {
        enum Expecting { case key, separator, keyOrSeparator }
        var tokens: [String] = []
        var state = Expecting.key
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let c = characters[index]
            if c.isWhitespace {
                if state == .separator { state = .keyOrSeparator }
                index += 1
                continue
            }
            switch state {
            case .separator where c == "+":
                state = .key
                index += 1
                continue
            case .separator:
                // Only reachable right after the plus key: `++a`.
                throw KeyChordError(chord: text, message: "expected '+' or a space before '\(c)' in key chord '\(text)'")
            case .keyOrSeparator where c == "+":
                // After a space, `+` separates when a key follows (`ctrl + c`); at the end it is the plus key (`ctrl +`).
                var next = index + 1
                while next < characters.count, characters[next].isWhitespace { next += 1 }
                if next < characters.count {
                    state = .key
                    index += 1
                    continue
                }
                tokens.append("+")
                state = .separator
                index += 1
                continue
            case .key where c == "+":
                tokens.append("+")
                state = .separator
                index += 1
                continue
            case .key, .keyOrSeparator:
                var end = index
                while end < characters.count, !characters[end].isWhitespace, characters[end] != "+" { end += 1 }
                tokens.append(String(characters[index..<end]))
                state = .separator
                index = end
            }
        }
        if tokens.isEmpty {
            throw KeyChordError(chord: text, message: "empty key chord '\(text)'")
        }
        if state == .key {
            throw KeyChordError(chord: text, message: "key chord '\(text)' ends with '+' (write 'plus' for the + key)")
        }
        return tokens
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try KeyChord.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
