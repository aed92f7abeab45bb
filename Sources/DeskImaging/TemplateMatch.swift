import DeskCore

/// Where a template was found: its rectangle in the screen frame's local pixels and the NCC score (≤ 1).
public struct TemplateMatch: Sendable, Hashable {
    /// The matched area, frame-local (add the frame's origin for root-window coordinates).
    public var rect: Rect
    /// Zero-mean normalised cross-correlation at that position: 1 is identical up to brightness and contrast.
    public var score: Double

    public init(rect: Rect, score: Double) {
        self.rect = rect
        self.score = score
    }
}
