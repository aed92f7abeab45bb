import DeskCore

/// A packed RGB pixel buffer with the few primitives annotation needs. Shapes are drawn from distance fields
/// over their clipped bounding box, which needs no font or rasteriser library and cannot write out of bounds.
struct Canvas {
    typealias Color = (r: UInt8, g: UInt8, b: UInt8)

    let width: Int
    let height: Int
    var pixels: [UInt8]

    /// Coordinates are clamped to this range first so that absurd marks cannot overflow the arithmetic.
    private static let limit = 1_000_000.0

    init(_ frame: Frame) {
        width = frame.width
        height = frame.height
        pixels = frame.pixels
    }

    /// Paints every pixel whose centre satisfies `inside`, within the box `[x0, x1] x [y0, y1]`.
    private mutating func fill(x0: Double, y0: Double, x1: Double, y1: Double, color: Color,
                               _ inside: (Double, Double) -> Bool) {
        let l = Self.limit
        let minX = max(0, Int(max(-l, min(l, x0)).rounded(.down)))
        let maxX = min(width - 1, Int(max(-l, min(l, x1)).rounded(.up)))
        let minY = max(0, Int(max(-l, min(l, y0)).rounded(.down)))
        let maxY = min(height - 1, Int(max(-l, min(l, y1)).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        for y in minY...maxY {
            for x in minX...maxX where inside(Double(x), Double(y)) {
                let i = (y * width + x) * 3
                pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b
            }
        }
    }

    private static func clamp(_ p: Point) -> (Double, Double) {
        (max(-limit, min(limit, Double(p.x))), max(-limit, min(limit, Double(p.y))))
    }

    /// A line segment of the given thickness with round caps.
    mutating func line(from a: Point, to b: Point, thickness: Double, color: Color) {
        let (ax, ay) = Self.clamp(a), (bx, by) = Self.clamp(b)
        line(ax, ay, bx, by, thickness: thickness, color: color)
    }

    mutating func line(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double, thickness: Double, color: Color) {
        let r = thickness / 2
        let dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy
        fill(x0: min(ax, bx) - r, y0: min(ay, by) - r, x1: max(ax, bx) + r, y1: max(ay, by) + r, color: color) { x, y in
            let t = len2 == 0 ? 0 : max(0, min(1, ((x - ax) * dx + (y - ay) * dy) / len2))
            let px = ax + t * dx - x, py = ay + t * dy - y
            return px * px + py * py <= r * r
        }
    }

    /// A circle outline of the given radius and stroke thickness.
    mutating func ring(center c: Point, radius: Double, thickness: Double, color: Color) {
        let (cx, cy) = Self.clamp(c)
        let outer = radius + thickness / 2, inner = max(0, radius - thickness / 2)
        fill(x0: cx - outer, y0: cy - outer, x1: cx + outer, y1: cy + outer, color: color) { x, y in
            let d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy)
            return d2 <= outer * outer && d2 >= inner * inner
        }
    }

    /// A filled disc.
    mutating func disc(center c: Point, radius: Double, color: Color) {
        ring(center: c, radius: radius / 2, thickness: radius, color: color)
    }

    /// A rectangle outline drawn inside `r`'s edges.
    mutating func rectangle(_ r: Rect, thickness: Int, color: Color) {
        guard !r.isEmpty else { return }
        let t = Double(max(1, thickness))
        let x0 = Double(r.x), y0 = Double(r.y), x1 = Double(r.x) + Double(r.width) - 1
        let y1 = Double(r.y) + Double(r.height) - 1
        fill(x0: x0, y0: y0, x1: x1, y1: y1, color: color) { x, y in
            x < x0 + t || x > x1 - t || y < y0 + t || y > y1 - t
        }
    }

    /// A filled triangle (for arrow heads).
    mutating func triangle(_ p: (Double, Double), _ q: (Double, Double), _ s: (Double, Double), color: Color) {
        func edge(_ a: (Double, Double), _ b: (Double, Double), _ x: Double, _ y: Double) -> Double {
            (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0)
        }
        fill(x0: min(p.0, q.0, s.0), y0: min(p.1, q.1, s.1), x1: max(p.0, q.0, s.0), y1: max(p.1, q.1, s.1),
             color: color) { x, y in
            let e1 = edge(p, q, x, y), e2 = edge(q, s, x, y), e3 = edge(s, p, x, y)
            return (e1 >= 0 && e2 >= 0 && e3 >= 0) || (e1 <= 0 && e2 <= 0 && e3 <= 0)
        }
    }

    /// A line from `a` to `b` ending in a filled arrow head at `b`.
    mutating func arrow(from a: Point, to b: Point, thickness: Double, head: Double, color: Color) {
        let (ax, ay) = Self.clamp(a), (bx, by) = Self.clamp(b)
        let dx = bx - ax, dy = by - ay, len = (dx * dx + dy * dy).squareRoot()
        guard len > 0 else { disc(center: b, radius: head / 2, color: color); return }
        let ux = dx / len, uy = dy / len
        let h = min(head, len)
        let baseX = bx - ux * h, baseY = by - uy * h
        line(ax, ay, baseX, baseY, thickness: thickness, color: color)
        let half = h * 0.6
        triangle((bx, by), (baseX - uy * half, baseY + ux * half), (baseX + uy * half, baseY - ux * half),
                 color: color)
    }

    func frame(like source: Frame) -> Frame {
        Frame(checkedWidth: width, height: height, stride: width * 3, format: .rgb, origin: source.origin,
              captureTime: source.captureTime, pixels: pixels)
    }
}
