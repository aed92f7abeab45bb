/// Where a recorded pointer action went, in the most robust words the recorder could verify: an
/// accessibility element, the text under the pointer, a template image saved beside the task, a point inside
/// a window, or (last) root coordinates.
public enum RecordedTarget: Sendable, Hashable, CustomStringConvertible {
    case element(role: String, name: String)
    case text(String)
    /// A PNG beside the task file (the path as the task writes it, relative to the task).
    case image(file: String)
    case inWindow(className: String, at: Point)
    case at(Point)

    /// Which grounder named it, for the trace and the recorder's summary.
    public var kind: String {
        switch self {
        case .element: "element"
        case .text: "text"
        case .image: "image"
        case .inWindow: "in_window"
        case .at: "at"
        }
    }

    /// True for targets written in words (element or text), which survive windows moving.
    public var isSemantic: Bool {
        switch self {
        case .element, .text: true
        default: false
        }
    }

    public var description: String { RecordedTaskWriter.yaml(self) }
}

/// A recorded step with its pointer sites named: what ``RecordedTaskWriter`` writes.
public enum NamedStep: Sendable, Hashable {
    case click(RecordedTarget, button: MouseButton, count: Int)
    case drag(from: RecordedTarget, to: RecordedTarget, button: MouseButton)
    case scroll(RecordedTarget, direction: ScrollDirection, notches: Int)
    /// `secretName` set: written as `${secret:NAME}`, the text itself never.
    case type(String, secretName: String?)
    case key(KeyChord)
    case waitForWindow(className: String)
    case waitForText(String)
    case waitForElement(role: String, name: String)
    case waitForStable(milliseconds: Int)
}
