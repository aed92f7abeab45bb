/// Control characters in text that came from outside (a task file, a model, an HTTP body, a window title):
/// refused where they would be typed, made visible where they would be printed.
public enum ControlCharacters {
    /// The first control character of `text` other than `\n` and `\t`, with its 1-based character position.
    ///
    /// Control means Unicode category Cc (C0, DEL and C1): `\b` or DEL would edit the field behind the
    /// policy's back, ESC starts a terminal or application sequence.
    public static func firstUntypable(in text: String) -> (position: Int, scalar: Unicode.Scalar)? {
        for (index, character) in text.enumerated() {
            for scalar in character.unicodeScalars where isControl(scalar) && scalar != "\n" && scalar != "\t" {
                return (index + 1, scalar)
            }
        }
        return nil
    }

    /// `U+0008 (backspace)`: how errors name a control character.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let names: [UInt32: String] = [0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x0D: "carriage return",
                                       0x1B: "escape", 0x7F: "delete", 0x9B: "CSI"]
        return names[scalar.value].map { "\(code) (\($0))" } ?? code
    }

    /// `text` safe to print on a terminal: every control character but `\n` and `\t` (and the bidirectional
    /// overrides that reorder what follows) shown as `\u{1B}`, so no escape sequence reaches the terminal.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `printable(text)` on one line: `\n` and `\t` written as `\n` and `\t` too (step lines, status lines).
    public static func printableLine(_ text: String) -> String {
        printable(text).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
    }

    /// `text` escaped for HTML text and attribute values.
    public static func html(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in printable(text) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" || scalar == "\t" { return false }
        return isControl(scalar) || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
