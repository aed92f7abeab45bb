/// One image in a model request: which step's frame, at what size it was sent, and its label.
public struct TraceImage: Sendable, Hashable, Codable {
    public var step: Int
    public var width: Int
    public var height: Int
    /// The label the history gave it (`step 3, 4s ago`), if any.
    public var label: String?

    public init(step: Int, width: Int, height: Int, label: String? = nil) {
        self.step = step
        self.width = width
        self.height = height
        self.label = label
    }
}
