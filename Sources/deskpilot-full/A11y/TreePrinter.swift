import DeskCore
import Foundation

/// How `deskpilot tree` prints a tree: indented lines for people, one JSON object per line for programs.
struct TreePrinter {
    let tree: A11yTree
    /// X window of each accessible window (by node id), when one matched.
    let xWindows: [Int: WindowSummary]

    /// `  push button "=" 312,408 48x36 [focused]  text "…"`
    func textLines() -> [String] {
        tree.nodes.map { n in
            let indent = String(repeating: "  ", count: n.depth)
            if n.depth == 0 { return "\(n.name.isEmpty ? "?" : n.name) (application)" }
            var line = "\(indent)\(n.role) \(quote(n.name)) \(n.box.x),\(n.box.y) \(n.box.width)x\(n.box.height)"
            if n.depth == 1, let w = xWindows[n.id] { line += " window \(w.hexID)" }
            let shown = Self.notableStates.filter { n.states.contains($0) }
            var flags = shown
            if !n.states.contains(A11yStates.enabled) && n.isActionable { flags.append("disabled") }
            if !flags.isEmpty { line += " [\(flags.joined(separator: ", "))]" }
            if let text = n.text, !text.isEmpty, text != n.name { line += " text \(quote(text))" }
            if let value = n.value { line += " value \(value.formatted)" }
            return line
        }
    }

    static let notableStates = ["focused", "checked", "selected", "pressed", "expanded", "editable", "active"]

    /// The one-object-per-line JSON of each node.
    func jsonLines() throws -> [String] {
        try tree.nodes.map { n in try JSONStyle.line(A11yNodeRecord(n, window: n.depth == 1 ? xWindows[n.id] : nil)) }
    }

    private func quote(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: "\\n")
        return "\"" + (flat.count > 80 ? String(flat.prefix(77)) + "…" : flat) + "\""
    }
}

/// A window whose application exposes no tree, as `tree --json` prints it.
struct NoTreeJSON: Encodable {
    let window: String
    let className: String
    let title: String
    let accessible = false
    let note: String

    enum CodingKeys: String, CodingKey {
        case window, title, accessible, note
        case className = "class"
    }
}
