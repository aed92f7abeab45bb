/// Normal forms of text for comparing what a person wrote with what OCR read.
enum TextFolding {
    /// Lower case, typographic quotes and dashes made plain, ligatures split, punctuation at either end
    /// dropped (`Save:` and `(Save)` read as `save`).
    static func fold(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.lowercased() {
            switch ch {
            case "\u{2018}", "\u{2019}", "\u{201B}", "`", "\u{00B4}": out.append("'")
            case "\u{201C}", "\u{201D}", "\u{201E}": out.append("\"")
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": out.append("-")
            case "\u{FB00}": out += "ff"
            case "\u{FB01}": out += "fi"
            case "\u{FB02}": out += "fl"
            case "\u{FB03}": out += "ffi"
            case "\u{FB04}": out += "ffl"
            default: out.append(ch)
            }
        }
        let isWordChar: (Character) -> Bool = { $0.isLetter || $0.isNumber }
        guard let first = out.firstIndex(where: isWordChar), let last = out.lastIndex(where: isWordChar) else {
            return out
        }
        return String(out[first...last])
    }

    /// ``fold(_:)`` keeping letters and digits only: for text OCR split or joined differently
    /// (`Save As` / `SaveAs` / `Sa ve As`).
    static func compact(_ text: String) -> String {
        String(fold(text).filter { $0.isLetter || $0.isNumber })
    }

    /// ``compact(_:)`` with the glyphs OCR confuses at screen sizes made equal: `rn`→`m`, `vv`→`w`,
    /// `cl`→`d`, and `1 | [ ] ! I i j l` → `l`, `0`→`o`, `5`→`s`. For a second, more tolerant comparison only.
    static func shapes(_ text: String) -> String {
        // Upper-case I looks like l; lower-case i only does at small sizes, but OCR makes both mistakes.
        var s = ""
        for ch in text {
            switch ch {
            case "1", "|", "[", "]", "!", "I", "i", "j", "l", "\u{00ED}": s.append("l")
            case "0", "O": s.append("o")
            case "5", "S": s.append("s")
            default: s.append(ch)
            }
        }
        let letters = Array(compact(s))
        var out = ""
        var i = 0
        while i < letters.count {
            if i + 1 < letters.count {
                switch (letters[i], letters[i + 1]) {
                case ("r", "n"): out.append("m"); i += 2; continue
                case ("v", "v"): out.append("w"); i += 2; continue
                case ("c", "l"): out.append("d"); i += 2; continue
                default: break
                }
            }
            out.append(letters[i])
            i += 1
        }
        return out
    }

    /// How many OCR errors a query word of this many letters tolerates: none below 4, one up to 7, two from 8.
    static func allowedErrors(length: Int) -> Int { length >= 8 ? 2 : (length >= 4 ? 1 : 0) }

    /// The words of a query: split at white space.
    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
