/// One scripted step of a task.
public struct TaskStep: Sendable, Hashable, Codable {
    public enum Kind: Sendable, Hashable, Codable {
        /// `click` (count 1), `double_click` (2), `right_click` (button right); `count` 3 is a triple click.
        case click(Target, button: MouseButton, count: Int)
        case move(Target)
        case drag(from: Target, to: Target, button: MouseButton)
        /// Scroll `notches` clicks of the wheel; `nil` target scrolls where the pointer is.
        case scroll(Target?, direction: ScrollDirection, notches: Int)
        case key(KeyChord)
        case type(TaskText)
        case focus(WindowMatcher)
        case wait(seconds: Double)
        case waitFor(WaitCondition, timeout: Double)
        /// Hand a sub-goal to the agent loop (needs a model), with an optional step cap.
        case goal(String, maxSteps: Int?)
    }

    public var kind: Kind
    /// Where the step is written, for error messages at run time and trace annotations.
    public var source: SourceLocation?

    /// How long a `wait_for` waits when the file gives no `timeout`.
    public static let defaultWaitTimeout = 10.0

    public init(_ kind: Kind, source: SourceLocation? = nil) {
        self.kind = kind
        self.source = source
    }
}
