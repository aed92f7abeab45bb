/// The accessibility tree as text for a model (the `a11y` observation), one line per element in the
/// OSWorld style: role, name, text, position (top-left x, y) and size, tab-separated, within a token budget.
public enum A11yLinearizer {
    /// The header line naming the columns.
    public static let header = "role\tname\ttext\tposition (top-left x&y)\tsize (w&h)"

    /// Tokens a text costs, roughly (four characters a token, as tokenizers average on such lines).
    public static func tokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }

    /// The lines for `tree`'s showing elements in reading order of the walk; unnamed containers left out.
    /// When the lines exceed `tokenBudget`, elements that are neither actionable nor named go first, then
    /// the last ones, and a final line says how many were left out.
    public static func linearize(_ tree: A11yTree, tokenBudget: Int = 4000) -> String {
        let candidates = tree.nodes.filter { $0.depth >= 1 && !$0.box.isEmpty && ($0.depth == 1 || !$0.label.isEmpty || $0.isActionable) }
        func line(_ n: A11yNode) -> String {
            let text = n.text.map(clean) ?? n.value.map { String($0) } ?? ""
            return "\(n.role)\t\(clean(n.name))\t\(text)\t(\(n.box.x), \(n.box.y))\t(\(n.box.width), \(n.box.height))"
        }
        var lines = candidates.map(line)
        var kept = Array(candidates.indices)
        var cost = tokens(header) + lines.reduce(0) { $0 + tokens($1) + 1 }
        if cost > tokenBudget {
            // Drop unnamed, non-actionable elements first.
            let keepers = kept.filter { candidates[$0].isActionable || !candidates[$0].label.isEmpty }
            kept = keepers
            cost = tokens(header) + kept.reduce(0) { $0 + tokens(lines[$1]) + 1 }
        }
        let reserve = 12
        while cost + reserve > tokenBudget, let last = kept.popLast() { cost -= tokens(lines[last]) + 1 }
        lines = kept.map { lines[$0] }
        var out = header + "\n" + lines.joined(separator: "\n")
        let dropped = candidates.count - kept.count
        if dropped > 0 { out += "\n… \(dropped) more elements not shown (token budget \(tokenBudget))" }
        return out
    }

    /// One line: tabs and newlines as spaces, at most 120 characters.
    static func clean(_ s: String) -> String {
        let flat = String(s.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
        return flat.count > 120 ? String(flat.prefix(117)) + "…" : flat
    }
}
