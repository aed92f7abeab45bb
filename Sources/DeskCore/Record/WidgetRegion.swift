/// The widget a press landed on, guessed from pixels alone when no accessibility tree says: the bounding
/// box of the area of near-uniform colour around the point (a button's face, a field's background). Text
/// inside that box labels the widget, so a click anywhere on a button can be written as a click on its
/// label.
public enum WidgetRegion {
    /// The bounding box of the 4-connected area around `point` whose colour is within `tolerance` (per
    /// channel) of the pixel at `point`, or nil when that area is too large to be one widget (a window
    /// background) or the point is off the frame.
    public static func around(_ point: Point, in frame: Frame, tolerance: Int = 10,
                              maxWidth: Int = 640, maxHeight: Int = 240, maxArea: Int = 120_000) -> Rect? {
        let px = point.x - frame.origin.x, py = point.y - frame.origin.y
        guard px >= 0, py >= 0, px < frame.width, py < frame.height else { return nil }
        let bpp = frame.format.bytesPerPixel
        guard bpp >= 3, frame.pixels.count >= frame.stride * frame.height else { return nil }
        func color(_ x: Int, _ y: Int) -> (Int, Int, Int) {
            let i = y * frame.stride + x * bpp
            return (Int(frame.pixels[i]), Int(frame.pixels[i + 1]), Int(frame.pixels[i + 2]))
        }
        let seed = color(px, py)
        var seen = Set<Int>()
        var stack = [(px, py)]
        seen.insert(py * frame.width + px)
        var minX = px, maxX = px, minY = py, maxY = py
        while let (x, y) = stack.popLast() {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            if seen.count > maxArea || maxX - minX >= maxWidth || maxY - minY >= maxHeight { return nil }
            for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] {
                guard nx >= 0, ny >= 0, nx < frame.width, ny < frame.height else { continue }
                let key = ny * frame.width + nx
                guard !seen.contains(key) else { continue }
                let c = color(nx, ny)
                guard abs(c.0 - seed.0) <= tolerance, abs(c.1 - seed.1) <= tolerance, abs(c.2 - seed.2) <= tolerance else { continue }
                seen.insert(key)
                stack.append((nx, ny))
            }
        }
        return Rect(x: minX + frame.origin.x, y: minY + frame.origin.y, width: maxX - minX + 1, height: maxY - minY + 1)
    }
}
