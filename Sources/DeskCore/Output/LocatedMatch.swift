/// One thing found on the screen, in the one shape every output uses (`locate --json`, the MCP `locate`
/// tool, the HTTP API): a box is `{x, y, width, height}` and a point `{x, y}` (``Rect`` and ``Point`` encode
/// so), in root-window pixels.
///
/// Text matches fill `text` and `score`; accessibility elements fill `role` and `name` (and may leave
/// `score` out); `source` says which grounder found it (`ocr`, `image`, `a11y`).
public struct LocatedMatch: Sendable, Hashable, Codable {
    /// The text that matched (OCR), or nil.
    public var text: String?
    /// The accessibility role (`push button`), or nil.
    public var role: String?
    /// The accessibility name, or nil.
    public var name: String?
    /// Where it is.
    public var box: Rect
    /// Where to click.
    public var point: Point
    /// How sure the grounder is, 0–1 (three decimals), or nil.
    public var score: Double?
    /// Which grounder found it: `ocr`, `image` or `a11y`.
    public var source: String?

    public init(text: String? = nil, role: String? = nil, name: String? = nil, box: Rect, point: Point,
                score: Double? = nil, source: String? = nil) {
        self.text = text
        self.role = role
        self.name = name
        self.box = box
        self.point = point
        self.score = score.map { ($0 * 1000).rounded() / 1000 }
        self.source = source
    }
}
