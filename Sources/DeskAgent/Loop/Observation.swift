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
    /// The screenshot with the marks drawn, sent in place of ``frame`` (same size and origin).
    public var markedFrame: Frame?
    /// Whether the model is shown the screenshot (`--observe a11y` sends the tree alone).
    public var sendsScreenshot: Bool

    public init(frame: Frame, accessibilityTree: String? = nil, marks: [ObservationMark] = [],
                markedFrame: Frame? = nil, sendsScreenshot: Bool = true) {
        self.frame = frame
        self.accessibilityTree = accessibilityTree
        self.marks = marks
        self.markedFrame = markedFrame
        self.sendsScreenshot = sendsScreenshot
    }

    /// What the observation adds to the screenshot, as text for the model (nil when nothing): the tree,
    /// the mark table and how to name a mark.
    public func text(markGrammar: String) -> String? {
        var parts: [String] = []
        if let accessibilityTree {
            parts.append("The accessibility tree of the screen (one element per line; positions and sizes in screen pixels, \(frame.width)x\(frame.height)):\n\(accessibilityTree)")
        }
        if !marks.isEmpty {
            parts.append("The screenshot shows numbered marks on the elements you can act on (positions in screen pixels):\n\(SetOfMarks.table(marks))\n\(markGrammar)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }

    /// The mark's centre, for a model that named it.
    public func mark(_ id: Int) -> ObservationMark? { marks.first { $0.id == id } }
}

/// Adds what an observation mode asks for to the step's observation (it runs after the capture, before the
/// decider). An error ends the step as a capture error does.
public protocol ObservationEnricher: Sendable {
    func enrich(_ observation: inout Observation) throws
}
