/// A policy's `regions`: screen rectangles (root-window pixels) where pointer actions may or may not land.
///
/// Applies to clicks, drags (both ends), scrolls and mouse down/up; plain pointer moves are not judged.
public struct RegionRules: Sendable, Hashable, Codable {
    /// When set, every point must fall inside one of these; a point-less action at an unknown pointer is refused.
    public var allow: [Rect]?
    /// No point may fall inside any of these (edges: a rectangle covers x ..< x+width, y ..< y+height).
    public var deny: [Rect]
    /// The allow-lists of the policies this one was intersected with: a point must also fall in each.
    public var floorAllow: [[Rect]] = []

    public init(allow: [Rect]? = nil, deny: [Rect] = []) {
        self.allow = allow
        self.deny = deny
    }
}
