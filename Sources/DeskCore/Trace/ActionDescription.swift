/// Short human lines for actions, as traces, reports and `trace show` print them.
extension Action {
    /// `click (640,360)`, `double click (10,20)`, `drag (1,2) → (3,4)`, `type "hello\n"`, `key ctrl+c`.
    public var traceDescription: String {
        func at(_ p: Coordinate?) -> String { p.map { " \(Self.text($0))" } ?? "" }
        func button(_ b: MouseButton) -> String { b == .left ? "" : " (\(b.rawValue))" }
        switch self {
        case .click(let p, let b, let count):
            let name = count >= 3 ? "triple click" : count == 2 ? "double click" : "click"
            return name + button(b) + at(p)
        case .move(let p): return "move" + at(p)
        case .drag(let a, let b, let btn): return "drag\(button(btn))\(at(a)) → \(Self.text(b))"
        case .scroll(let p, let d, let n): return "scroll \(d.rawValue) \(n)" + (p.map { " at \(Self.text($0))" } ?? "")
        case .key(let chord): return "key \(chord)"
        case .press(let key): return "press \(key)"
        case .release(let key): return "release \(key)"
        case .mouseDown(let p, let b): return "mouse down\(button(b))" + at(p)
        case .mouseUp(let p, let b): return "mouse up\(button(b))" + at(p)
        case .type(let text): return "type \(TraceText.quoted(text))"
        case .wait(let s): return "wait \(s.formatted)s"
        case .finished(let m): return "finished" + (m.map { ": \($0)" } ?? "")
        case .callUser(let q): return "call user" + (q.map { ": \($0)" } ?? "")
        case .infeasible(let r): return "infeasible" + (r.map { ": \($0)" } ?? "")
        }
    }

    private static func text(_ c: Coordinate) -> String {
        if let p = c as? Point { return p.description }
        if let p = c as? ModelPoint { return p.description }
        return "\(c)"
    }
}
