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

    public init(text: String, point: Point, box: Rect, score: Double) {
        self.text = text
        self.point = point
        self.box = box
        self.score = score
    }

    public var description: String { "'\(text)' at \(point) (score \(String(format: "%.2f", score)))" }
}
