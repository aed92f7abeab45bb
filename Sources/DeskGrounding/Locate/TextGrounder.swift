import DeskCore

/// Finds text on a screen: OCR alone (``TextLocator``) or the accessibility tree first (``FusedGrounder``).
public protocol TextGrounder: AnyObject, Sendable {
    /// Every place matching `query` on `frame`, ranked as ``TextLocator/locate(_:in:windows:)`` ranks them.
    func locate(_ query: TextQuery, in frame: Frame, windows: [WindowBox]) throws -> [TextMatch]
    /// Texts seen that come closest to `text`, for "not found" messages.
    func closestTexts(to text: String, limit: Int) -> [String]
}

extension TextGrounder {
    public func closestTexts(to text: String) -> [String] { closestTexts(to: text, limit: 5) }
}

extension TextLocator: TextGrounder {}
extension FusedGrounder: TextGrounder {}
