/// A chord pattern from a policy's `keys` rules: `ctrl+alt+delete`, `super+l`, `ctrl+alt+f*`, `super+*`.
///
/// Written like a chord (same aliases, any order and case, `+` or spaces). Modifiers match by class,
/// ignoring side (`ctrl` covers `Control_L` and `Control_R`). The key may be a glob over its lowercased
/// keysym name (`*` any run of characters, `?` one character): `f*` covers `F1`…`F35`, and a lone `*`
/// matches any key and also no key, so `super+*` covers `super` alone. A named key also covers its keypad
/// twin (`delete` covers `KP_Delete`, `tab` covers `ISO_Left_Tab`), because they reach the same bindings.
public struct KeyChordPattern: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the key part of a pattern accepts.
    public enum KeyMatch: Sendable, Hashable {
        /// A modifier-only pattern: the chord must have no key.
        case none
        /// `*`: any key or none.
        case any
        /// One key, by its ``KeyName/matchName``.
        case name(String)
        /// A glob over the key's ``KeyName/matchName``.
        case glob(String)
    }

    /// The pattern as written.
    public let text: String
    /// The modifier classes the pattern names.
    public let modifiers: Set<ModifierClass>
    /// What the key must be.
    public let key: KeyMatch

    /// Parses a pattern.
    ///
    /// - Throws: ``KeyChordError`` for unknown names, a wildcard in a modifier, or two keys.
    public init(_ text: String) throws(KeyChordError) {
        let tokens = try KeyChord.tokenize(text)
        var modifiers = Set<ModifierClass>()
        var key: KeyMatch?
        for token in tokens {
            let match: KeyMatch
            if token.contains("*") || token.contains("?") {
                if token.allSatisfy({ $0 == "*" }) { match = .any } else { match = .glob(token.lowercased()) }
            } else {
                let name = try KeyName.named(token)
                if let modifier = name.modifierClass {
                    modifiers.insert(modifier)
                    continue
                }
                match = .name(name.matchName)
            }
            if key != nil {
                throw KeyChordError(chord: text, message: "key pattern '\(text)' has more than one key besides modifiers")
            }
            key = match
        }
        self.text = text
        self.modifiers = modifiers
        self.key = key ?? .none
    }

    public var description: String { text }

    public static func == (lhs: KeyChordPattern, rhs: KeyChordPattern) -> Bool {
        lhs.modifiers == rhs.modifiers && lhs.key == rhs.key
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(modifiers)
        hasher.combine(key)
    }

    /// True when `chord` matches.
    ///
    /// - Parameter exactModifiers: `false` (deny and confirm rules): the chord needs at least the pattern's
    ///   modifiers, so `ctrl+alt+delete` also stops `ctrl+alt+shift+delete`. `true` (allow-lists): the
    ///   chord's modifiers must be exactly the pattern's, so allowing `ctrl+c` does not allow `ctrl+alt+c`.
    public func matches(_ chord: KeyChord, exactModifiers: Bool) -> Bool {
        let held = Set(chord.modifierClasses)
        if exactModifiers ? held != modifiers : !modifiers.isSubset(of: held) { return false }
        switch key {
        case .none:
            return chord.key == nil
        case .any:
            return true
        case .name(let name):
            guard let chordKey = chord.key else { return false }
            return Self.matchNames(of: chordKey).contains(name)
        case .glob(let glob):
            guard let chordKey = chord.key else { return false }
            return Self.matchNames(of: chordKey).contains { Self.glob(glob, matches: $0) }
        }
    }

    /// The key's own match name plus the non-keypad key it stands for.
    static func matchNames(of key: KeyName) -> [String] {
        let own = key.matchName
        if let twin = twins[own] { return [own, twin] }
        return [own]
    }

    /// Keys that reach the same bindings as a more common key.
    private static let twins: [String: String] = {
        var table: [String: String] = [
            "kp_delete": "delete", "kp_enter": "return", "kp_home": "home", "kp_end": "end",
            "kp_prior": "prior", "kp_next": "next", "kp_up": "up", "kp_down": "down", "kp_left": "left",
            "kp_right": "right", "kp_insert": "insert", "kp_tab": "tab", "kp_space": "space",
            "iso_left_tab": "tab", "kp_add": "plus", "kp_subtract": "minus", "kp_multiply": "asterisk",
            "kp_divide": "slash", "kp_equal": "equal", "kp_decimal": "period", "kp_f1": "f1", "kp_f2": "f2",
            "kp_f3": "f3", "kp_f4": "f4", "linefeed": "return",
        ]
        for digit in 0...9 { table["kp_\(digit)"] = "\(digit)" }
        return table
    }()

    /// Glob matching with `*` (any run, possibly empty) and `?` (one character), over characters.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
