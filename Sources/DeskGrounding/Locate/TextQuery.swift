/// What to look for on the screen, and how to choose among several places that say it.
public struct TextQuery: Sendable, Hashable {
    /// The default minimum score: an exact match of low-confidence OCR still passes, one OCR error in a
    /// short word with middling confidence does not.
    public static let defaultThreshold = 0.7

    /// The text: one word or a phrase (matched across adjacent words of a line), case-insensitive,
    /// tolerating one OCR error in each word of four or more letters.
    public var text: String
    /// Choose the n-th match (1-based) in reading order (top to bottom, then left to right).
    public var nth: Int?
    /// Only matches inside this window or region.
    public var within: TextScope?
    /// Rank matches by their distance to the best match of this other text.
    public var near: String?
    /// Matches scoring less are not returned.
    public var minimumScore: Double

    public init(_ text: String, nth: Int? = nil, within: TextScope? = nil, near: String? = nil,
                minimumScore: Double = TextQuery.defaultThreshold) {
        self.text = text
        self.nth = nth
        self.within = within
        self.near = near
        self.minimumScore = minimumScore
    }
}
