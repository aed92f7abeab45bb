import DeskCore

/// What a step looks at before deciding: the screenshot, and whatever the run's observation mode adds.
///
/// Observation modes beyond the screenshot (the accessibility tree as text, Set-of-Mark marks) are filled
/// in by ``ObservationEnricher``s the run is given; a decider reads what it understands and ignores the rest.
public struct Observation: Sendable {
    /// The screen, at native size (root-window pixels from ``Frame/origin``).
    public var frame: Frame
    /// The accessibility tree as text, when an enricher read one.
    public var accessibilityTree: String?
    /// Set-of-Mark marks: numbered boxes a model can refer to instead of pixels.
    public var marks: [ObservationMark]

    public init(frame: Frame, accessibilityTree: String? = nil, marks: [ObservationMark] = []) {
        self.frame = frame
        self.accessibilityTree = accessibilityTree
        self.marks = marks
    }
}

/// One Set-of-Mark mark: a numbered element and where it is.
public struct ObservationMark: Sendable, Hashable {
    /// The number the model sees.
    public var id: Int
    /// Root-window pixels.
    public var box: Rect
    /// What the element is (a role and a name, say), for the model's text.
    public var label: String?

    public init(id: Int, box: Rect, label: String? = nil) {
        self.id = id
        self.box = box
        self.label = label
    }
}

/// Adds what an observation mode asks for to the step's observation (it runs after the capture, before the
/// decider). An error ends the step as a capture error does.
public protocol ObservationEnricher: Sendable {
    func enrich(_ observation: inout Observation) throws
}
