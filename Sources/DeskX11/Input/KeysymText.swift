/// Conversions between X keysyms and the Unicode scalars they type.
///
/// A keymap may name one character in several ways (`EuroSign` 0x20ac and the Unicode keysym 0x10020ac both
/// type €), so lookups go through scalars: every keysym of the map is turned into the scalar it types, and a
/// character is found whichever spelling the layout uses.
enum KeysymText {
    /// The offset of Unicode keysyms: keysym `0x1000000 + U` types scalar U (for U ≥ 0x100).
    static let unicodeOffset: UInt32 = 0x0100_0000

    /// Keysyms for keys that type control characters, which are not characters to bind.
    static let returnKeysym: UInt32 = 0xff0d
    static let tabKeysym: UInt32 = 0xff09
    static let backSpaceKeysym: UInt32 = 0xff08

    private static let legacyToScalar: [UInt32: UInt32] = {
        var table: [UInt32: UInt32] = [:]
        let pairs = KeysymUnicodeTable.pairs
        var i = 0
        while i + 1 < pairs.count {
            table[pairs[i]] = pairs[i + 1]
            i += 2
        }
        return table
    }()

    /// The scalar a keysym types, or nil for keysyms that type nothing (function keys, modifiers, dead keys).
    static func scalar(forKeysym keysym: UInt32) -> Unicode.Scalar? {
        if keysym >= unicodeOffset + 0x100 && keysym <= unicodeOffset + 0x10FFFF {
            return Unicode.Scalar(keysym - unicodeOffset)
        }
        if let value = legacyToScalar[keysym] { return Unicode.Scalar(value) }
        return nil
    }

    /// The keysym to bind on a spare key so that it types `scalar`: Latin-1 keysyms are the scalar itself,
    /// everything else is a Unicode keysym (understood by Xlib, xkbcommon, GTK and Qt alike).
    static func keysymToBind(for scalar: Unicode.Scalar) -> UInt32 {
        switch scalar.value {
        case 0x20...0x7e, 0xa0...0xff: scalar.value
        default: unicodeOffset + scalar.value
        }
    }

    /// The key that types a control character deskpilot accepts in text: `\n` and `\r` are Return (never
    /// Linefeed, which many apps ignore), `\t` is Tab, backspace (U+0008) is BackSpace.
    static func controlKeysym(for scalar: Unicode.Scalar) -> UInt32? {
        switch scalar.value {
        case 0x0a, 0x0d: returnKeysym
        case 0x09: tabKeysym
        case 0x08: backSpaceKeysym
        default: nil
        }
    }

    /// True for scalars that cannot be typed: C0/C1 controls other than those ``controlKeysym(for:)`` knows, and
    /// noncharacters / lone surrogates.
    static func isUntypable(_ scalar: Unicode.Scalar) -> Bool {
        if controlKeysym(for: scalar) != nil { return false }
        let v = scalar.value
        if v < 0x20 || (0x7f...0x9f).contains(v) { return true }
        return scalar.properties.isNoncharacterCodePoint
    }

    /// The single-scalar lowercase and uppercase forms of `scalar`, when it is a letter with a simple case pair
    /// (ł/Ł, ж/Ж); nil otherwise (ß uppercases to "SS", CJK has no case). A spare key bound to such a pair with
    /// the ALPHABETIC type follows Caps Lock as a real letter key does.
    static func casePair(of scalar: Unicode.Scalar) -> (lower: Unicode.Scalar, upper: Unicode.Scalar)? {
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        guard lower.count == 1, upper.count == 1, let l = lower.first, let u = upper.first, l != u else { return nil }
        guard scalar == l || scalar == u else { return nil }
        // Both directions must round-trip, or Caps Lock would produce a third character.
        guard l.properties.uppercaseMapping == String(u), u.properties.lowercaseMapping == String(l) else { return nil }
        return (l, u)
    }
}
