/// A pixel position in root-window coordinates (the X server's device pixels).
public struct Point: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x),\(y))" }

    public static func + (lhs: Point, rhs: Point) -> Point { Point(x: lhs.x + rhs.x, y: lhs.y + rhs.y) }
    public static func - (lhs: Point, rhs: Point) -> Point { Point(x: lhs.x - rhs.x, y: lhs.y - rhs.y) }

    /// The larger of the horizontal and vertical distances (pixels).
    public func chebyshevDistance(to other: Point) -> Int { max(abs(x - other.x), abs(y - other.y)) }
}

/// A position in a model's coordinate space (relative 0–1000, or absolute on a resized image).
public struct ModelPoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    /// The Set-of-Mark mark the model named instead of a point (`click(mark=17)`); the decider replaces
    /// `x`/`y` with the mark's centre in model space before mapping, and the trace keeps the number.
    public var mark: Int?

    public init(x: Double, y: Double, mark: Int? = nil) {
        self.x = x
        self.y = y
        self.mark = mark
    }

    /// A point given as a mark number only: its position (0, 0 until then) comes from the observation's marks.
    public static func mark(_ id: Int) -> ModelPoint { ModelPoint(x: 0, y: 0, mark: id) }

    public var description: String {
        if let mark { return "mark \(mark)" }
        return "(\(x.formatted),\(y.formatted))"
    }
}

extension Double {
    /// A short rendering without a trailing `.0` for whole numbers.
    package var formatted: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return String(self)
    }
}
