/// What a ``TextFinder`` looks for, and how to choose among several places that say it.
public struct TextSearch: Sendable, Hashable, CustomStringConvertible {
    /// One word or a phrase, case-insensitive, tolerant of small OCR errors.
    public var text: String
    /// The n-th match (1-based) in reading order.
    public var nth: Int?
    /// Only inside this window (id, WM_CLASS or part of the title) or region (`X,Y,W,H`).
    public var within: String?
    /// Prefer the match nearest to this other text.
    public var near: String?

    public init(_ text: String, nth: Int? = nil, within: String? = nil, near: String? = nil) {
        self.text = text
        self.nth = nth
        self.within = within
        self.near = near
    }

    public var description: String {
        var s = "'\(text)'"
        if let nth { s += " #\(nth)" }
        if let within { s += " within '\(within)'" }
        if let near { s += " near '\(near)'" }
        return s
    }
}
