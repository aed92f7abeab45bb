import DeskCore

/// One imperative step of a `local`-dialect goal, with its targets still as text.
public enum LocalStep: Sendable, Hashable, CustomStringConvertible {
    /// `click Save`, `double click report.txt`, `right click Desktop`.
    case click(target: String, button: MouseButton, count: Int)
    /// `type 'hello world'`, `type 'Alice' into Name`.
    case type(text: String, into: String?)
    /// `press ctrl+s`: a key chord as ``KeyChord`` parses it.
    case press(chord: String)
    /// `scroll down`, `scroll up 5 in Messages`.
    case scroll(direction: ScrollDirection, notches: Int, over: String?)
    /// `wait for Saved`.
    case waitFor(text: String)
    /// `wait 2s`.
    case wait(seconds: Double)
    /// `drag report.txt to Trash`.
    case drag(from: String, to: String)

    public var description: String {
        switch self {
        case .click(let target, let button, let count):
            let verb = count == 2 ? "double click" : count >= 3 ? "triple click" : button == .left ? "click" : "\(button.rawValue) click"
            return "\(verb) '\(target)'"
        case .type(let text, let into): return "type '\(text)'" + (into.map { " into '\($0)'" } ?? "")
        case .press(let chord): return "press \(chord)"
        case .scroll(let direction, let notches, let over):
            return "scroll \(direction.rawValue) \(notches)" + (over.map { " over '\($0)'" } ?? "")
        case .waitFor(let text): return "wait for '\(text)'"
        case .wait(let seconds): return "wait \(seconds.formatted)s"
        case .drag(let from, let to): return "drag '\(from)' to '\(to)'"
        }
    }
}
