/// Writes a recorded demonstration as a task file the task parser reads back: setup (the programs the
/// recorder launched and the windows they opened), the steps, and no checks (a recording cannot know what
/// success means; the header says to add them).
public struct RecordedTaskWriter: Sendable {
    public var name: String
    public var screen: Size?
    /// The `desktop:` a replay needs (`openbox` when targets come from the accessibility tree).
    public var desktop: String?
    /// Programs launched before the demonstration, as shell command lines (written as given: their
    /// `${env:…}` references stay references).
    public var launches: [String]
    /// Window classes to wait for after launching.
    public var windowWaits: [String]
    public var steps: [NamedStep]
    /// Written as a comment at the top (when and where it was recorded).
    public var comment: String?

    public init(name: String, screen: Size? = nil, desktop: String? = nil, launches: [String] = [],
                windowWaits: [String] = [], steps: [NamedStep], comment: String? = nil) {
        self.name = name
        self.screen = screen
        self.desktop = desktop
        self.launches = launches
        self.windowWaits = windowWaits
        self.steps = steps
        self.comment = comment
    }

    /// The task file's text.
    public func text() -> String {
        var lines: [String] = []
        if let comment {
            lines += comment.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }
        }
        lines.append("# Add checks (checks: …) that prove the outcome; `deskpilot run` passes a task without checks when every step ran.")
        lines.append("name: \(Self.quoted(name))")
        lines.append("description: \(Self.quoted("Recorded demonstration (\(steps.count) steps)"))")
        lines.append("goal: \(Self.quoted("Repeat the recorded demonstration '\(name)'"))")
        if let screen { lines.append("screen: \(screen.width)x\(screen.height)") }
        if let desktop { lines.append("desktop: \(desktop)") }
        if !launches.isEmpty || !windowWaits.isEmpty {
            lines.append("setup:")
            for command in launches {
                lines.append("  - launch: \(Self.quoted(command, escapeReferences: false))")
            }
            for className in windowWaits {
                lines.append("  - wait_for: {window: {class: \(Self.quoted(Self.exactClass(className)))}, timeout: 20s}")
            }
        }
        lines.append("steps:")
        if steps.isEmpty { lines[lines.count - 1] = "steps: []" }
        for step in steps { lines.append("  - \(Self.yaml(step))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `${secret:NAME}` references the task uses, so the recorder can say which variables to set.
    public var secretNames: [String] {
        steps.compactMap { if case .type(_, let name?) = $0 { name } else { nil } }
    }

    /// One step as the task file writes it (after `- `).
    public static func yaml(_ step: NamedStep) -> String {
        switch step {
        case .click(let target, let button, let count):
            let verb: String
            switch (button, count) {
            case (.left, 1): verb = "click"
            case (.left, 2): verb = "double_click"
            case (.left, 3): verb = "triple_click"
            case (.right, 1): verb = "right_click"
            case (.middle, 1): verb = "middle_click"
            default: verb = "click"
            }
            if verb == "click", button != .left || count != 1 {
                // Only `click` takes button and count keys.
                return "click: {\(targetFields(target)), button: \(button.rawValue), count: \(count)}"
            }
            return "\(verb): \(yaml(target))"
        case .drag(let from, let to, let button):
            let buttonPart = button == .left ? "" : ", button: \(button.rawValue)"
            return "drag: {from: \(yaml(from)), to: \(yaml(to))\(buttonPart)}"
        case .scroll(let target, let direction, let notches):
            return "scroll: {\(targetFields(target)), direction: \(direction.rawValue), amount: \(notches)}"
        case .type(let text, let secretName):
            if let secretName { return "type: \(quoted("${secret:\(secretName)}", escapeReferences: false))" }
            return "type: \(quoted(text))"
        case .key(let chord):
            return "key: \(quoted(chord.normalized))"
        case .waitForWindow(let className):
            return "wait_for: {window: {class: \(quoted(exactClass(className)))}, timeout: 20s}"
        case .waitForText(let text):
            return "wait_for: {text: \(quoted(text)), timeout: 20s}"
        case .waitForElement(let role, let name):
            return "wait_for: {element: {role: \(quoted(role)), name: \(quoted(name))}, timeout: 20s}"
        case .waitForStable(let ms):
            return "wait_for: {screen_stable: \(ms)ms, timeout: 10s}"
        }
    }

    /// A target as `click:` takes it.
    public static func yaml(_ target: RecordedTarget) -> String {
        switch target {
        case .text(let text): quoted(text)
        default: "{\(targetFields(target))}"
        }
    }

    /// The target's keys, for embedding in a larger flow mapping.
    static func targetFields(_ target: RecordedTarget) -> String {
        switch target {
        case .element(let role, let name): "element: {role: \(quoted(role)), name: \(quoted(name))}"
        case .text(let text): "text: \(quoted(text))"
        case .image(let file): "image: \(quoted(file))"
        case .inWindow(let className, let p): "in_window: {class: \(quoted(exactClass(className))), at: [\(p.x), \(p.y)]}"
        case .at(let p): "at: [\(p.x), \(p.y)]"
        }
    }

    /// Window classes are matched as regexes: anchor and escape the recorded name so it matches only itself.
    static func exactClass(_ name: String) -> String {
        let special = Set("\\^$.|?*+()[]{}")
        return "^" + name.map { special.contains($0) ? "\\\($0)" : String($0) }.joined() + "$"
    }

    /// A YAML double-quoted scalar. `${` becomes `$${` (the task loader's literal), so recorded text is typed
    /// as it was, never read as a reference.
    static func quoted(_ text: String) -> String { quoted(text, escapeReferences: true) }

    static func quoted(_ text: String, escapeReferences: Bool) -> String {
        var out = "\""
        let source = escapeReferences ? text.replacingOccurrences(of: "${", with: "$${") : text
        for scalar in source.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xfeff {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Four hex digits (uppercase), for YAML `\uXXXX` escapes.
private func hex4(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
