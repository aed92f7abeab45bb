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

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x.formatted),\(y.formatted))" }
}

extension Double {
    /// A short rendering without a trailing `.0` for whole numbers.
    package var formatted: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
        return String(self)
    }
}
