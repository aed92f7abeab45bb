/// How a step's target became a point: which grounder found it, and what it found (the trace keeps one per
/// grounded target).
public struct TraceGrounding: Sendable, Hashable, Codable {
    /// The target as the task wrote it (`text 'Save'`, `element role 'button' name '='`).
    public var target: String
    /// ``Grounders``: `a11y`, `ocr` or `image`.
    public var grounder: String
    /// The element's role and name when the accessibility tree found it.
    public var role: String?
    public var name: String?
    /// What was found, root-window pixels.
    public var box: Rect?
    public var point: Point

    public init(target: String, grounder: String, role: String? = nil, name: String? = nil, box: Rect? = nil, point: Point) {
        self.target = target
        self.grounder = grounder
        self.role = role
        self.name = name
        self.box = box
        self.point = point
    }
}
