import DeskCore
import DeskImaging
import Testing

@Suite struct AnnotatorTests {
    static let background: (UInt8, UInt8, UInt8) = (128, 128, 128)

    /// The changed pixels of `out` relative to a flat grey background.
    private func changed(_ out: Frame) -> [Point] {
        var points: [Point] = []
        for y in 0..<out.height { for x in 0..<out.width where out.rgb(x: x, y: y) != Self.background {
            points.append(Point(x: x, y: y))
        } }
        return points
    }

    private func distance(_ p: Point, toSegment a: Point, _ b: Point) -> Double {
        let dx = Double(b.x - a.x), dy = Double(b.y - a.y), len2 = dx * dx + dy * dy
        let t = len2 == 0 ? 0 : max(0, min(1, (Double(p.x - a.x) * dx + Double(p.y - a.y) * dy) / len2))
        let ex = Double(a.x) + t * dx - Double(p.x), ey = Double(a.y) + t * dy - Double(p.y)
        return (ex * ex + ey * ey).squareRoot()
    }

    static let marks: [(Annotator.Mark, [Point], Double)] = [
        // mark, the segment (or point) it is about, how far from it any drawing may go
        (.click(Point(x: 200, y: 150), count: 1), [Point(x: 200, y: 150)], 40),
        (.click(Point(x: 200, y: 150), count: 2), [Point(x: 200, y: 150)], 48),
        (.move(Point(x: 200, y: 150)), [Point(x: 200, y: 150)], 16),
        (.scroll(at: Point(x: 200, y: 150), direction: .down), [Point(x: 200, y: 150), Point(x: 200, y: 190)], 16),
        (.scroll(at: Point(x: 200, y: 150), direction: .left), [Point(x: 200, y: 150), Point(x: 160, y: 150)], 16),
        (.drag(from: Point(x: 60, y: 50), to: Point(x: 300, y: 220)), [Point(x: 60, y: 50), Point(x: 300, y: 220)], 16),
    ]

    @Test(arguments: 0..<marks.count)
    func marksChangeThePointAndNothingFarAway(index: Int) {
        let (mark, segment, reach) = Self.marks[index]
        let frame = TestImages.flat(width: 400, height: 300, r: 128, g: 128, b: 128, format: .bgrx)
        let out = Annotator.annotate(frame, marks: [mark])
        #expect(out.format == .rgb && out.size == frame.size)
        for p in segment {
            #expect(out.rgb(x: p.x, y: p.y) != Self.background, "\(mark) did not mark \(p)")
        }
        let far = changed(out).filter { distance($0, toSegment: segment[0], segment.last ?? segment[0]) > reach }
        #expect(far.isEmpty, "\(mark) drew at \(far.prefix(3))")
        #expect(changed(out).count > 20)
    }

    @Test func regionDrawsItsEdgesOnly() {
        let frame = TestImages.flat(width: 400, height: 300, r: 128, g: 128, b: 128)
        let out = Annotator.annotate(frame, marks: [.region(Rect(x: 100, y: 80, width: 200, height: 140))])
        #expect(out.rgb(x: 100, y: 80) != Self.background)
        #expect(out.rgb(x: 299, y: 219) != Self.background)
        #expect(out.rgb(x: 200, y: 150) == Self.background)
        #expect(out.rgb(x: 10, y: 10) == Self.background)
        #expect(out.rgb(x: 310, y: 230) == Self.background)
    }

    @Test func marksOutsideTheFrameAreClippedNotFatal() {
        let frame = TestImages.flat(width: 64, height: 48, r: 128, g: 128, b: 128)
        let wild: [Annotator.Mark] = [
            .click(Point(x: -5, y: 3), count: 3), .click(Point(x: Int.max, y: Int.min), count: Int.max),
            .drag(from: Point(x: Int.min, y: 0), to: Point(x: Int.max, y: 47)), .move(Point(x: 1000, y: 1000)),
            .region(Rect(x: Int.min, y: Int.min, width: Int.max, height: Int.max)),
            .scroll(at: Point(x: 63, y: 47), direction: .right),
        ]
        let out = Annotator.annotate(frame, marks: wild)
        #expect(out.size == frame.size)
        #expect(out.rgb(x: 0, y: 3) != Self.background)  // the ring at (-5, 3) reaches into the frame
        #expect(Annotator.annotate(Frame.empty(), marks: wild)
            .pixels.isEmpty)
    }

    @Test func theOriginalFrameIsUntouched() {
        let frame = TestImages.flat(width: 40, height: 40, r: 128, g: 128, b: 128)
        _ = Annotator.annotate(frame, marks: [.click(Point(x: 20, y: 20), count: 1)])
        #expect(frame.rgb(x: 20, y: 20) == Self.background)
    }
}
