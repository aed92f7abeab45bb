import DeskCore

/// Draws Set-of-Mark marks on a copy of a screenshot: each element's box outlined, its number in white on a
/// dark tag at the box's top-left corner. Digits come from a built-in 3×5 pixel font scaled up (no font
/// library), so the numbers are identical on every machine.
public enum MarkPainter {
    /// The 3×5 glyphs of 0–9, one row per 3-bit value, top row first.
    static let glyphs: [[UInt8]] = [
        [0b111, 0b101, 0b101, 0b101, 0b111], [0b010, 0b110, 0b010, 0b010, 0b111],
        [0b111, 0b001, 0b111, 0b100, 0b111], [0b111, 0b001, 0b111, 0b001, 0b111],
        [0b101, 0b101, 0b111, 0b001, 0b001], [0b111, 0b100, 0b111, 0b001, 0b111],
        [0b111, 0b100, 0b111, 0b101, 0b111], [0b111, 0b001, 0b010, 0b010, 0b010],
        [0b111, 0b101, 0b111, 0b101, 0b111], [0b111, 0b101, 0b111, 0b001, 0b111],
    ]
    /// Pixels per glyph pixel.
    static let scale = 3
    static let boxColor: Canvas.Color = (255, 0, 160)
    static let tagColor: Canvas.Color = (120, 0, 80)
    static let digitColor: Canvas.Color = (255, 255, 255)

    /// An `.rgb` copy of `frame` with `marks` (root-window pixels) drawn.
    public static func paint(_ frame: Frame, marks: [ObservationMark]) -> Frame {
        let source = frame
        guard source.width > 0, source.height > 0 else { return source }
        var canvas = Canvas(source.toRGB())
        let origin = source.origin
        for mark in marks {
            let box = Rect(x: mark.box.x - origin.x, y: mark.box.y - origin.y, width: mark.box.width, height: mark.box.height)
            canvas.rectangle(box, thickness: 2, color: boxColor)
        }
        // Tags after every box, so no outline crosses a number.
        for mark in marks {
            let digits = String(mark.id).compactMap { $0.wholeNumberValue }
            let glyphWidth = 3 * scale, gap = scale, pad = scale
            let width = digits.count * glyphWidth + (digits.count - 1) * gap + 2 * pad
            let height = 5 * scale + 2 * pad
            let x = max(0, min(canvas.width - width, mark.box.x - origin.x))
            let y = max(0, min(canvas.height - height, mark.box.y - origin.y))
            canvas.fillRect(Rect(x: x, y: y, width: width, height: height), color: tagColor)
            for (i, digit) in digits.enumerated() {
                let gx = x + pad + i * (glyphWidth + gap)
                for (row, bits) in glyphs[digit].enumerated() {
                    for column in 0..<3 where bits & (0b100 >> UInt8(column)) != 0 {
                        canvas.fillRect(Rect(x: gx + column * scale, y: y + pad + row * scale, width: scale, height: scale),
                                        color: digitColor)
                    }
                }
            }
        }
        return canvas.frame(like: source)
    }
}

extension Canvas {
    /// Paints the rectangle `r` (clipped to the canvas).
    mutating func fillRect(_ r: Rect, color: Color) {
        let x0 = max(0, r.x), y0 = max(0, r.y)
        let x1 = min(width, r.x + r.width), y1 = min(height, r.y + r.height)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 {
                let i = (y * width + x) * 3
                pixels[i] = color.r; pixels[i + 1] = color.g; pixels[i + 2] = color.b
            }
        }
    }
}
