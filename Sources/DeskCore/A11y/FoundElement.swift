/// One element an ``ElementFinder`` found for a query.
public struct FoundElement: Sendable, Hashable, Codable, CustomStringConvertible {
    public var node: A11yNode
    /// Where to act: the centre of the element's box, root-window pixels.
    public var point: Point
    /// 1 for the exact name, a little less ignoring case, less again for a near miss.
    public var score: Double

    public init(node: A11yNode, point: Point? = nil, score: Double) {
        self.node = node
        self.point = point ?? node.box.center
        self.score = score
    }

    public var description: String { "\(node.role) '\(node.label)' at \(point)" }
}
