import Foundation

/// Folds text to a plain lowercase ASCII-ish form before policy patterns see it, so disguised text
/// (`ｒｍ －ｒｆ`, Cyrillic `ѕudo`, `r\u{200B}m`) matches the same patterns as the plain spelling.
///
/// Steps: compatibility decomposition (NFKD, which is NFKC's mapping without recomposition; fullwidth →
/// ASCII, ligatures split, accents separated), lowercase, drop combining marks and invisible format
/// characters (zero-width spaces and joiners, soft hyphen, BOM), map Cyrillic and Greek letters that look
/// Latin to those Latin letters, fold every dash to `-`, every space to ` `, look-alike slashes, pipes and
/// quotes to ASCII. This over-approximates on purpose: it is used only for matching, never shown or typed.
public enum TextNormalizer {
    /// The folded form of `text` for matching.
    public static func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            if scalar.isASCII {
                out.append(scalar)
                continue
            }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark, .format:
                continue
            case .dashPunctuation:
                out.append("-")
                continue
            case .spaceSeparator, .lineSeparator, .paragraphSeparator:
                out.append(" ")
                continue
            default:
                break
            }
            if let replacement = confusables[scalar] {
                out.append(contentsOf: replacement.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Non-ASCII scalars (after lowercasing) that people read as an ASCII character. Cyrillic and Greek
    /// letters from Unicode's confusables list that resemble Latin letters, plus punctuation look-alikes
    /// that NFKD leaves alone.
    public static let confusables: [Unicode.Scalar: String] = {
        let pairs: [(String, String)] = [
            // Cyrillic
            ("а", "a"), ("в", "b"), ("ь", "b"), ("с", "c"), ("ԁ", "d"), ("е", "e"), ("ё", "e"), ("һ", "h"), ("н", "h"),
            ("і", "i"), ("ї", "i"), ("ј", "j"), ("к", "k"), ("ӏ", "l"), ("м", "m"), ("п", "n"), ("о", "o"),
            ("р", "p"), ("ԛ", "q"), ("г", "r"), ("ѕ", "s"), ("т", "t"), ("у", "y"), ("ү", "y"), ("ѵ", "v"),
            ("ԝ", "w"), ("х", "x"), ("ԍ", "g"), ("ɡ", "g"), ("ꞩ", "s"),
            // Greek
            ("α", "a"), ("β", "b"), ("ε", "e"), ("η", "n"), ("ι", "i"), ("κ", "k"), ("μ", "u"), ("ν", "v"),
            ("ο", "o"), ("ρ", "p"), ("τ", "t"), ("υ", "u"), ("χ", "x"), ("γ", "y"), ("ζ", "z"), ("ϲ", "c"),
            ("ϳ", "j"), ("ѡ", "w"), ("ω", "w"), ("ς", "s"),
            // Latin look-alikes outside ASCII
            ("ı", "i"), ("ȷ", "j"), ("ɑ", "a"), ("ɩ", "i"), ("ʟ", "l"), ("ɪ", "i"), ("ᴄ", "c"), ("ᴏ", "o"),
            ("ᴠ", "v"), ("ᴡ", "w"), ("ᴢ", "z"), ("ꜱ", "s"), ("ℓ", "l"),
            // Punctuation
            ("∕", "/"), ("⁄", "/"), ("⧸", "/"), ("∖", "\\"), ("⧵", "\\"), ("ǀ", "|"), ("∣", "|"), ("│", "|"),
            ("┃", "|"), ("｜", "|"), ("‘", "'"), ("’", "'"), ("‚", "'"), ("′", "'"), ("“", "\""), ("”", "\""),
            ("„", "\""), ("″", "\""), ("−", "-"), ("∼", "~"), ("˜", "~"), ("˗", "-"), ("‹", "<"), ("›", ">"),
            ("＜", "<"), ("＞", ">"), ("ꓸ", "."), ("․", "."), ("܂", "."), ("；", ";"), ("Ϳ", "j"), ("ǃ", "!"),
            ("＆", "&"), ("⁎", "*"), ("∗", "*"), ("٭", "*"),
        ]
        var table: [Unicode.Scalar: String] = [:]
        for (from, to) in pairs {
            for scalar in from.unicodeScalars { table[scalar] = to }
        }
        return table
    }()
}
