import DeskCore

/// A recognised line of text: its words left to right, in root-window pixels.
public struct OCRLine: Sendable, Hashable, Codable {
    public var words: [OCRWord]

    public init(words: [OCRWord]) {
        self.words = words
    }

    /// The words joined by single spaces.
    public var text: String { words.map(\.text).joined(separator: " ") }

    /// The union of the word boxes.
    public var box: Rect { OCRLine.union(words.map(\.box)) }

    /// The mean word confidence, 0–1.
    public var confidence: Double {
        words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count)
    }

    /// The line moved by `offset` (frame-local to root-window pixels).
    func offset(by offset: Point) -> OCRLine {
        OCRLine(words: words.map { w in
            OCRWord(text: w.text, box: Rect(x: w.box.x + offset.x, y: w.box.y + offset.y,
                                            width: w.box.width, height: w.box.height),
                    confidence: w.confidence)
        })
    }

    /// The smallest rectangle holding all of `rects` (empty at the origin for none).
    static func union(_ rects: [Rect]) -> Rect {
        guard let first = rects.first else { return Rect(x: 0, y: 0, width: 0, height: 0) }
        var x0 = first.x, y0 = first.y, x1 = first.maxX, y1 = first.maxY
        for r in rects.dropFirst() {
            x0 = min(x0, r.x); y0 = min(y0, r.y); x1 = max(x1, r.maxX); y1 = max(y1, r.maxY)
        }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
