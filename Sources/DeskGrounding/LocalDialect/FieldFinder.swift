import DeskCore

/// Where to click to type into the field a label names.
///
/// A label usually sits left of its field (`Name: [______]`) or just above it. The finder looks along the
/// label's middle row to the right, then down from its middle, for the field's border: a straight edge at
/// least as tall (or as wide) as most of the label. When it finds none, the text itself is clicked (a
/// placeholder inside the field, or a toolkit that focuses the field when its label is clicked).
enum FieldFinder {
    /// How far from the label a field may start, in pixels.
    static let reach = 320
    static let edgeStep = 40

    static func point(for label: TextMatch, in frame: Frame) -> Point {
        let gray = GrayImage(frame)
        let box = Rect(x: label.box.x - frame.origin.x, y: label.box.y - frame.origin.y,
                       width: label.box.width, height: label.box.height)
        if let x = rightBorder(of: box, in: gray) {
            return Point(x: x + 12 + frame.origin.x, y: box.y + box.height / 2 + frame.origin.y)
        }
        if let y = lowerBorder(of: box, in: gray) {
            return Point(x: box.x + max(12, box.width / 2) + frame.origin.x, y: y + 10 + frame.origin.y)
        }
        return label.point
    }

    /// The first x right of the label where a vertical edge spans most of the label's height.
    static func rightBorder(of box: Rect, in gray: GrayImage) -> Int? {
        let rows = max(1, box.height)
        let start = box.maxX + 3, end = min(gray.width - 1, box.maxX + reach)
        guard start < end, box.y >= 0, box.maxY <= gray.height else { return nil }
        for x in start..<end {
            var count = 0
            for y in box.y..<box.maxY where abs(Int(gray.pixels[y * gray.width + x]) - Int(gray.pixels[y * gray.width + x - 1])) > edgeStep {
                count += 1
            }
            if count * 10 >= rows * 8 { return x }
        }
        return nil
    }

    /// The first y below the label where a horizontal edge spans most of the label's width.
    static func lowerBorder(of box: Rect, in gray: GrayImage) -> Int? {
        let cols = max(1, box.width)
        let start = box.maxY + 2, end = min(gray.height - 1, box.maxY + 60)
        guard start < end, box.x >= 0, box.maxX <= gray.width else { return nil }
        for y in start..<end {
            var count = 0
            for x in box.x..<box.maxX where abs(Int(gray.pixels[y * gray.width + x]) - Int(gray.pixels[(y - 1) * gray.width + x])) > edgeStep {
                count += 1
            }
            if count * 10 >= cols * 8 { return y }
        }
        return nil
    }
}
