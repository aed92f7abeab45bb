import DeskCore

/// Draws what the agent did at a step onto a copy of its screenshot, for traces and reports. Needs no fonts.
///
/// Every shape is drawn twice, a wider dark outline under a bright stroke, so it shows on light and dark UIs.
public enum Annotator {
    /// One thing to draw. Points and rects are in frame-local pixels (the caller subtracts the frame origin);
    /// marks partly or wholly outside the frame are clipped.
    public enum Mark: Sendable, Hashable {
        /// A ring and crosshair centred on the pixel; `count` concentric rings for double and triple clicks.
        case click(Point, count: Int)
        /// An arrow from the press point to the release point.
        case drag(from: Point, to: Point)
        /// A dot at the pointer with an arrow showing the wheel direction.
        case scroll(at: Point, direction: ScrollDirection)
        /// A small crosshair where the pointer moved to.
        case move(Point)
        /// A rectangle outline (a matched element, a region of interest).
        case region(Rect)
    }

    static let outline: Canvas.Color = (0, 0, 0)
    static let actionColor: Canvas.Color = (255, 40, 40)
    static let moveColor: Canvas.Color = (40, 160, 255)
    static let regionColor: Canvas.Color = (40, 220, 80)

    /// Returns an `.rgb` copy of `frame` (any format) with `marks` drawn in order.
    public static func annotate(_ frame: Frame, marks: [Mark]) -> Frame {
        let source = frame
        guard source.width > 0, source.height > 0 else { return Frame.blackRGB(Size(width: 0, height: 0), like: frame) }
        var canvas = Canvas(source.toRGB())
        for mark in marks.map(clamped) {
            for pass in 0..<2 {
                // Pass 0 draws the outline 2 px wider, pass 1 the colour on top.
                draw(mark, on: &canvas, extra: pass == 0 ? 2 : 0, outlined: pass == 0)
            }
        }
        return canvas.frame(like: source)
    }

    /// Keeps coordinates within a million pixels so the Int arithmetic below cannot overflow on wild input.
    private static func clamped(_ mark: Mark) -> Mark {
        func c(_ v: Int) -> Int { min(1_000_000, max(-1_000_000, v)) }
        func p(_ q: Point) -> Point { Point(x: c(q.x), y: c(q.y)) }
        switch mark {
        case let .click(q, count): return .click(p(q), count: count)
        case let .drag(a, b): return .drag(from: p(a), to: p(b))
        case let .scroll(q, d): return .scroll(at: p(q), direction: d)
        case let .move(q): return .move(p(q))
        case let .region(r):
            return .region(Rect(x: c(r.x), y: c(r.y), width: max(0, c(r.width)), height: max(0, c(r.height))))
        }
    }

    private static func draw(_ mark: Mark, on canvas: inout Canvas, extra: Double, outlined: Bool) {
        func color(_ c: Canvas.Color) -> Canvas.Color { outlined ? outline : c }
        switch mark {
        case let .click(p, count):
            let rings = min(max(count, 1), 3)
            for k in 0..<rings {
                canvas.ring(center: p, radius: 14 + Double(k) * 7, thickness: 3 + extra, color: color(actionColor))
            }
            let arm = 14.0 + Double(rings - 1) * 7 + 6
            canvas.line(from: Point(x: p.x - Int(arm), y: p.y), to: Point(x: p.x + Int(arm), y: p.y),
                        thickness: 1 + extra, color: color(actionColor))
            canvas.line(from: Point(x: p.x, y: p.y - Int(arm)), to: Point(x: p.x, y: p.y + Int(arm)),
                        thickness: 1 + extra, color: color(actionColor))
        case let .drag(from, to):
            canvas.disc(center: from, radius: 5 + extra, color: color(actionColor))
            canvas.arrow(from: from, to: to, thickness: 3 + extra, head: 16 + extra, color: color(actionColor))
        case let .scroll(at, direction):
            let length = 40
            let (dx, dy) = switch direction {
            case .up: (0, -length)
            case .down: (0, length)
            case .left: (-length, 0)
            case .right: (length, 0)
            }
            canvas.disc(center: at, radius: 6 + extra, color: color(actionColor))
            canvas.arrow(from: at, to: Point(x: at.x + dx, y: at.y + dy), thickness: 3 + extra, head: 14 + extra,
                         color: color(actionColor))
        case let .move(p):
            canvas.ring(center: p, radius: 6, thickness: 2 + extra, color: color(moveColor))
            canvas.line(from: Point(x: p.x - 10, y: p.y), to: Point(x: p.x + 10, y: p.y), thickness: 1 + extra,
                        color: color(moveColor))
            canvas.line(from: Point(x: p.x, y: p.y - 10), to: Point(x: p.x, y: p.y + 10), thickness: 1 + extra,
                        color: color(moveColor))
        case let .region(r):
            let grown = Rect(x: r.x - Int(extra / 2), y: r.y - Int(extra / 2), width: r.width + Int(extra),
                             height: r.height + Int(extra))
            canvas.rectangle(grown, thickness: 2 + Int(extra), color: color(regionColor))
        }
    }
}
