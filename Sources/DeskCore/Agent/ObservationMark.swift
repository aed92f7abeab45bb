/// One Set-of-Mark mark: a numbered element and where it is.
public struct ObservationMark: Sendable, Hashable {
    /// The number the model sees.
    public var id: Int
    /// Root-window pixels.
    public var box: Rect
    /// What the element is (a role and a name, say), for the model's text.
    public var label: String?

    public init(id: Int, box: Rect, label: String? = nil) {
        self.id = id
        self.box = box
        self.label = label
    }
}
