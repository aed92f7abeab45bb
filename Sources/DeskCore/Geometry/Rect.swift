import Foundation

/// An axis-aligned rectangle in root-window pixels: origin at the top-left, half-open extent.
public struct Rect: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public init(origin: Point, size: Size) {
        self.init(x: origin.x, y: origin.y, width: size.width, height: size.height)
    }

    public var origin: Point { Point(x: x, y: y) }
    public var size: Size { Size(width: width, height: height) }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var center: Point { Point(x: x + width / 2, y: y + height / 2) }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    public func contains(_ p: Point) -> Bool { p.x >= x && p.y >= y && p.x < maxX && p.y < maxY }

    public func contains(_ r: Rect) -> Bool { r.x >= x && r.y >= y && r.maxX <= maxX && r.maxY <= maxY }

    public func intersection(_ r: Rect) -> Rect? {
        let nx = max(x, r.x), ny = max(y, r.y)
        let mx = min(maxX, r.maxX), my = min(maxY, r.maxY)
        guard mx > nx, my > ny else { return nil }
        return Rect(x: nx, y: ny, width: mx - nx, height: my - ny)
    }

    /// Parses `X,Y,W,H` as `--region` takes it.
    public init?(parsing text: String) {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3],
              w > 0, h > 0
        else { return nil }
        self.init(x: x, y: y, width: w, height: h)
    }
}
