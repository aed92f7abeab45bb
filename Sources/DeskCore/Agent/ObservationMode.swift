/// What a model is shown at each step (OSWorld's four observation types): `--observe`, a task's `observe:`.
public enum ObservationMode: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The screenshot alone (the default).
    case screenshot
    /// The accessibility tree as text, one line per element, and no screenshot.
    case a11y
    /// The screenshot and the tree as text.
    case screenshotA11y = "screenshot+a11y"
    /// The screenshot with numbered marks drawn over every actionable element (tree and OCR), the mark table
    /// as text; the model may answer with a mark number in place of a point.
    case som

    /// The names `--observe` takes.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// `screenshot`, `a11y`, `screenshot+a11y` (also `screenshot_a11y_tree`, OSWorld's name) or `som`.
    public init?(name: String) {
        switch name.lowercased() {
        case "screenshot": self = .screenshot
        case "a11y", "a11y_tree", "tree": self = .a11y
        case "screenshot+a11y", "screenshot_a11y_tree", "screenshot+tree": self = .screenshotA11y
        case "som", "set-of-mark", "set_of_mark": self = .som
        default: return nil
        }
    }

    /// Whether the model gets a screenshot.
    public var sendsScreenshot: Bool { self != .a11y }
    /// Whether the model gets the tree as text.
    public var sendsTree: Bool { self == .a11y || self == .screenshotA11y }
    /// Whether the screenshot carries marks.
    public var sendsMarks: Bool { self == .som }

    public var description: String { rawValue }
}
