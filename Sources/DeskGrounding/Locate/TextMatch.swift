import DeskCore

/// A place on the screen that matches a query: what it says there, where, and how well it matches.
public struct TextMatch: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text as recognised (for an image match, the image's name).
    public var text: String
    /// The matched words' (or image's) bounding box, root-window pixels.
    public var box: Rect
    /// Where to act: the box's centre.
    public var point: Point
    /// 0–1: how closely the text matches the query, weighted by OCR confidence (for images, the NCC score).
    public var score: Double
    /// Which grounder found it: `a11y` (the accessibility tree), `ocr`, or `image` (a template).
    public var grounder: String
    /// The element's role when the accessibility tree found it.
    public var role: String?

    public init(text: String, box: Rect, point: Point? = nil, score: Double, grounder: String = Grounders.ocr,
                role: String? = nil) {
        self.text = text
        self.box = box
        self.point = point ?? box.center
        self.score = score
        self.grounder = grounder
        self.role = role
    }

    public var description: String {
        "'\(text)' at \(point.x),\(point.y) box \(box.x),\(box.y),\(box.width),\(box.height) score \(String(format: "%.3f", score))"
    }
}
