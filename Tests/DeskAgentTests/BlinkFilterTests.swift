import DeskAgent
import DeskCore
import Testing
import DeskTestSupport

/// A caret that blinks is not a change; a glyph, a check mark or a moved caret is.
@Suite(.ownThread) struct BlinkFilterTests {
    /// A white 200x100 RGB frame with black boxes drawn in.
    func frame(_ boxes: [Rect]) -> Frame {
        var pixels = [UInt8](repeating: 255, count: 200 * 100 * 3)
        for box in boxes {
            for y in box.y..<box.maxY { for x in box.x..<box.maxX { for c in 0..<3 { pixels[(y * 200 + x) * 3 + c] = 0 } } }
        }
        return try! Frame(width: 200, height: 100, stride: 600, format: .rgb, pixels: pixels)
    }

    let tiles = [Rect(x: 0, y: 0, width: 64, height: 64)]

    @Test func aCaretThatTogglesIsABlinkFromItsSecondToggleOn() {
        var filter = BlinkFilter()
        func blink(_ a: Frame, _ b: Frame) -> Bool { filter.isBlink(tiles, from: a, to: b) }
        let text = Rect(x: 2, y: 10, width: 20, height: 14)
        let on = frame([text, Rect(x: 30, y: 8, width: 2, height: 18)]), off = frame([text])
        #expect(!blink(on, off), "the first toggle is a change")
        #expect(blink(off, on))
        #expect(blink(on, off))
        let real = filter.realChanges(tiles, from: off, to: on)
        #expect(real.isEmpty)
    }

    @Test func glyphsCheckMarksAndMovedCaretsAreChanges() {
        var filter = BlinkFilter()
        func blink(_ a: Frame, _ b: Frame) -> Bool { filter.isBlink(tiles, from: a, to: b) }
        let caret = Rect(x: 30, y: 8, width: 2, height: 18)
        let before = frame([caret])
        // Typing: a glyph where the caret was, the caret one glyph further.
        let typed = frame([Rect(x: 30, y: 10, width: 8, height: 14), Rect(x: 40, y: 8, width: 2, height: 18)])
        #expect(!blink(before, typed))
        // A 12x12 check box toggled twice is still a change both times.
        let unchecked = frame([]), checked = frame([Rect(x: 5, y: 5, width: 12, height: 12)])
        #expect(!blink(unchecked, checked))
        #expect(!blink(checked, unchecked))
        #expect(!blink(unchecked, checked))
        // Nothing changed at all is not a blink either (there is nothing to see through).
        let none = filter.isBlink([], from: before, to: before)
        #expect(!none)
    }
}
