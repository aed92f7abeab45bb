import DeskCore

/// A part of the screen that looks like text: usually one line, sometimes a block of lines too close to
/// split. Frame-local pixels.
struct TextRegion: Sendable, Hashable {
    /// The ink's bounding box (edges of strokes), without margin.
    var rect: Rect
    /// The typical height of one text line in it, in pixels (for choosing the enlargement).
    var lineHeight: Int
    /// True when the region holds several lines that could not be separated.
    var isBlock: Bool
}
