/// One place where a ``TextFinder`` found the text.
public struct FoundText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text as read there.
    public var text: String
    /// Where to act (the box's centre), root-window pixels.
    public var point: Point
    /// The matched words' bounding box, root-window pixels.
    public var box: Rect
    /// 0–1: how well it matches, weighted by OCR confidence.
    public var score: Double
    /// Which grounder found it (``Grounders``): the accessibility tree, OCR or a template.
    public var grounder: String
    /// The element's role when the accessibility tree found it.
    public var role: String?

    public init(text: String, point: Point, box: Rect, score: Double, grounder: String = Grounders.ocr, role: String? = nil) {
        self.text = text
        self.point = point
        self.box = box
        self.score = score
        self.grounder = grounder
        self.role = role
    }

    public var description: String {
        let via = grounder == Grounders.a11y ? " via the accessibility tree" + (role.map { " (\($0))" } ?? "") : " via \(grounder)"
        return "'\(text)' at \(point) (score \(String(format: "%.2f", score)))\(via)"
    }
}
