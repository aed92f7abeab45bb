/// One key, named by its canonical X keysym name (`Control_L`, `Return`, `F5`, `a`, `XF86AudioMute`).
///
/// Letters are canonicalised to lowercase: `ctrl+C` is ctrl+c, and a capital needs an explicit shift.
/// That matches what a chord presses (a key, not a character) and how UI-TARS writes hotkeys. Synonym
/// spellings of one keysym value collapse to the one `XKeysymToString` prints (`Page_Up` → `Prior`).
/// Encoded as its keysym string.
public struct KeyName: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The canonical X keysym name; the X11 layer resolves it with `XStringToKeysym`.
    public let keysym: String

    /// Creates a key from a name that is already canonical; use ``named(_:)`` or ``init(keysym:)`` for input.
    private init(canonical: String) {
        self.keysym = canonical
    }

    /// The modifier class when this key is a chord modifier (ctrl, alt, shift, super, altgr).
    public var modifierClass: ModifierClass? { ModifierClass(keysym: keysym) }

    /// True for chord modifiers (`Control_L`, `Shift_R`, `Super_L`…); lock keys are not modifiers.
    public var isModifier: Bool { modifierClass != nil }

    public var description: String { keysym }

    public static func < (lhs: KeyName, rhs: KeyName) -> Bool { lhs.keysym < rhs.keysym }

    /// The name policies match against: the generic modifier name (`ctrl`), or the keysym lowercased (`delete`).
    public var matchName: String { modifierClass?.rawValue ?? keysym.lowercased() }

    /// What pressing the key alone types, for keys that type something (letters, digits, punctuation,
    /// space, Return as `\n`, Tab as `\t`, keypad digits, `Uxxxx` keysyms); `nil` otherwise.
    public var character: Character? {
        if keysym.count == 1, let c = keysym.first, c.isASCII, c.isLetter || c.isNumber { return c }
        if let c = KeyNameAliases.characterForKeysym[keysym] { return c }
        if let c = KeySymbolTable.scriptCharacters[keysym] { return c }
        if let scalar = Self.unicodeScalar(ofKeysym: keysym) { return Character(scalar) }
        return nil
    }

    /// What the key types with shift held, on a US layout for ASCII keys (`backslash` → `|`, `1` → `!`)
    /// and as the uppercase letter for letters and Unicode keysyms; `nil` for keys that type nothing.
    public var shiftedCharacter: Character? {
        guard let character else { return nil }
        if let shifted = Self.usShifted[character] { return shifted }
        let upper = String(character).uppercased()
        return upper.count == 1 ? upper.first : character
    }

    private static let usShifted: [Character: Character] = Dictionary(uniqueKeysWithValues: zip(
        "`1234567890-=[]\\;',./", "~!@#$%^&*()_+{}|:\"<>?"))

    /// A key from an exact keysym name (case-significant, as `XStringToKeysym` takes it), or `nil` when
    /// the name is not a known keysym. Accepts synonyms and `U20AC`-style Unicode keysym names.
    public init?(keysym: String) {
        if keysym.count == 1, let c = keysym.first, c.isASCII, c.isLetter {
            self.init(canonical: keysym.lowercased())
            return
        }
        if KeySymbolTable.isName(keysym) {
            self.init(canonical: KeySymbolTable.canonical(keysym))
            return
        }
        if let scalar = Self.unicodeScalar(ofKeysym: keysym) {
            self.init(character: Character(scalar))
            return
        }
        return nil
    }

    /// The key that types `character` alone: a letter (lowercased), digit, ASCII punctuation, space, or a
    /// `Uxxxx` Unicode keysym for anything else printable. `nil` for control characters and
    /// multi-scalar characters (emoji sequences, combining marks) that no single keysym types.
    public init?(character: Character) {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return nil }
        if scalar.isASCII {
            if character.isLetter { self.init(canonical: String(character).lowercased()); return }
            if character.isNumber { self.init(canonical: String(character)); return }
            if let name = KeyNameAliases.punctuation[character] { self.init(canonical: name); return }
            if character == " " { self.init(canonical: "space"); return }
            return nil
        }
        guard !scalar.properties.generalCategory.isControlOrFormat else { return nil }
        let lowered = String(character).lowercased()
        let value = (lowered.unicodeScalars.count == 1 ? lowered.unicodeScalars.first : nil)?.value ?? scalar.value
        self.init(canonical: "U" + String(value, radix: 16, uppercase: true).leftPadded(to: 4))
    }

    /// Resolves one key as a person or a model writes it: aliases (`enter`, `pgdn`, `win`), any known
    /// keysym name in any case (`backspace`, `shift_r`, `xf86audiomute`), F-keys, letters, digits, and
    /// single punctuation characters (`-`, `+`, `/`).
    ///
    /// - Throws: ``KeyChordError`` naming the closest known names when nothing matches.
    public static func named(_ text: String) throws(KeyChordError) -> KeyName {
        if let key = lookup(text) { return key }
        let isWord = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
        if isWord {
            throw KeyChordError(chord: text, message: "unknown key '\(text)'", suggestions: KeyNameSuggester.closest(to: text))
        }
        throw KeyChordError(chord: text, message: "'\(text)' is not a key name (use a keysym name such as 'minus', or one character)")
    }

    /// The key for `text`, or `nil` when it names none (no suggestions computed: cheap for callers that probe).
    static func lookup(_ text: String) -> KeyName? {
        guard !text.isEmpty else { return nil }
        if text.count == 1, let c = text.first {
            return KeyName(character: c)
        }
        let lower = text.lowercased()
        if let keysym = KeyNameAliases.aliases[lower] { return KeyName(canonical: keysym) }
        if KeySymbolTable.isName(text) { return KeyName(canonical: KeySymbolTable.canonical(text)) }
        // As `byLowercase` would choose over both tables (an exactly lowercase spelling first, else the first
        // spelling, names before script keysyms), without reading the script table for ordinary names.
        let core = KeySymbolTable.coreByLowercase[lower]
        if let core, core.contains(lower) { return KeyName(canonical: KeySymbolTable.canonical(lower)) }
        if KeySymbolTable.isScriptName(lower) { return KeyName(canonical: KeySymbolTable.canonical(lower)) }
        if let first = core?.first { return KeyName(canonical: KeySymbolTable.canonical(first)) }
        if let spellings = KeySymbolTable.byLowercase[lower] {
            // `eth` could be `ETH`, `Eth` or `eth`: prefer the lowercase keysym, as letters are.
            let chosen = spellings.first(where: { $0 == lower }) ?? spellings[0]
            return KeyName(canonical: KeySymbolTable.synonyms[chosen] ?? chosen)
        }
        if let scalar = unicodeScalar(ofKeysym: text) { return KeyName(character: Character(scalar)) }
        return nil
    }

    /// The scalar of a `U`-prefixed Unicode keysym name (`U20AC`, `u00e9`), as Xlib's `XStringToKeysym` reads them.
    static func unicodeScalar(ofKeysym name: String) -> Unicode.Scalar? {
        guard name.count >= 5, name.count <= 9, name.first == "U" || name.first == "u",
              let value = UInt32(name.dropFirst(), radix: 16),
              value >= 0x20, !(0x7f..<0xa0).contains(value), value <= 0x10FFFF,
              let scalar = Unicode.Scalar(value)
        else { return nil }
        return scalar
    }

    /// Well-known keys, for code that builds chords without parsing.
    public static let controlL = KeyName(canonical: "Control_L")
    public static let shiftL = KeyName(canonical: "Shift_L")
    public static let altL = KeyName(canonical: "Alt_L")
    public static let superL = KeyName(canonical: "Super_L")
    public static let returnKey = KeyName(canonical: "Return")
    public static let escape = KeyName(canonical: "Escape")
    public static let tab = KeyName(canonical: "Tab")
    public static let backSpace = KeyName(canonical: "BackSpace")
    public static let space = KeyName(canonical: "space")

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try KeyName.named(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(keysym)
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControlOrFormat: Bool {
        switch self {
        case .control, .format, .surrogate, .unassigned, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
