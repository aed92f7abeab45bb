import Foundation

/// Text helpers for showing trace content on a terminal or in a report.
public enum TraceText {
    /// `text` in double quotes with `\n`, `\t`, `"` and `\` escaped, and other control characters as `\u{..}`,
    /// so typed text shows exactly (a trailing Return is visible).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// One terminal-safe line: newlines shown as `⏎`, control characters (an escape sequence in a model
    /// answer could repaint the terminal) dropped, cut to `limit` characters with `…`.
    public static func oneLine(_ text: String, limit: Int = 160) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                out += " ⏎ "
            } else if scalar == "\t" {
                out += " "
            } else if scalar.properties.generalCategory != .control {
                out.unicodeScalars.append(scalar)
            }
        }
        out = out.trimmingWhitespace()
        if out.count > limit { out = String(out.prefix(max(0, limit - 1))) + "…" }
        return out
    }

    /// `850ms`, `1.2s`, `2m 5s`.
    public static func duration(ms: Double) -> String {
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        let s = ms / 1000
        if s < 60 { return "\((s * 10).rounded() / 10)s".replacingOccurrences(of: ".0s", with: "s") }
        let whole = Int(s.rounded())
        return "\(whole / 60)m \(whole % 60)s"
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
