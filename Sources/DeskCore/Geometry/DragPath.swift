/// The points a drag passes, for judging it along its whole path: a drag whose ends are outside a denied
/// region or window must not sweep through it with the button held.
public enum DragPath {
    /// Points from `from` to `to` (both included) at most `spacing` pixels apart along the straight line
    /// the input layer moves the pointer on; `spacing: 1` visits every pixel column or row.
    public static func points(from: Point, to: Point, spacing: Int = 1) -> [Point] {
        let dx = to.x - from.x, dy = to.y - from.y
        let steps = max(1, (max(abs(dx), abs(dy)) + spacing - 1) / max(1, spacing))
        return (0...steps).map { i in
            Point(x: from.x + Int((Double(dx) * Double(i) / Double(steps)).rounded()),
                  y: from.y + Int((Double(dy) * Double(i) / Double(steps)).rounded()))
        }
    }
}
