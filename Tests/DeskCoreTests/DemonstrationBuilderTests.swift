import DeskCore
import Testing

@Suite("Record: folding input into steps")
struct DemonstrationBuilderTests {
    func key(_ keysym: String, _ text: String?, _ modifiers: Set<ModifierClass> = [], window: String? = "w1",
             secret: Bool = false, at time: Double = 0) -> DemonstrationEvent {
        .key(RecordedKey(keysym: keysym, text: text, modifiers: modifiers, time: time, window: window, secret: secret))
    }

    func build(_ events: [DemonstrationEvent]) -> [RecordedStep] {
        var builder = DemonstrationBuilder()
        events.forEach { builder.add($0) }
        return builder.finish()
    }

    @Test func typingIsOneRunWithCorrectionsFolded() {
        let steps = build([
            key("Shift_L", nil), key("H", "H", [.shift]), key("e", "e"), key("x", "x"), key("BackSpace", nil),
            key("l", "l"), key("l", "l"), key("o", "o"), key("Return", nil), key("EuroSign", "€"), key("Tab", nil),
        ])
        #expect(steps == [.type("Hello\n€\t", secret: false)])
    }

    @Test func chordsEndTheRunAndShiftStaysWhereItMatters() {
        let steps = build([
            key("a", "a"), key("s", "s", [.ctrl]), key("T", "T", [.ctrl, .shift]), key("Tab", nil, [.shift]),
            key("Escape", nil), key("BackSpace", nil), key("F5", nil, [.alt]),
        ])
        #expect(steps.map { step -> String in
            switch step {
            case .type(let t, _): "type \(t)"
            case .key(let chord): "key \(chord.normalized)"
            default: "other"
            }
        } == ["type a", "key ctrl+s", "key ctrl+shift+t", "key shift+tab", "key escape", "key backspace", "key alt+f5"])
    }

    @Test func aBackSpaceWithNothingPendingIsAKey() {
        #expect(build([key("BackSpace", nil)]).count == 1)
        #expect(build([key("a", "a"), key("BackSpace", nil)]).isEmpty)
    }

    @Test func windowsAndSecretsSplitTyping() {
        let steps = build([
            key("u", "u"), key("p", "p", window: "w2", secret: true), key("w", "w", window: "w2", secret: true),
        ])
        #expect(steps == [.type("u", secret: false), .type("pw", secret: true)])
    }

    @Test func returnAndTabEndASecretInsteadOfJoiningIt() {
        let steps = build([
            key("p", "p", window: "w2", secret: true), key("w", "w", window: "w2", secret: true),
            key("Return", "\r", window: "w2", secret: true), key("x", "x", window: "w2"),
        ])
        #expect(steps == [.type("pw", secret: true), .key(KeyChord(modifiers: [], key: KeyName(keysym: "Return"))),
                          .type("x", secret: false)])
    }

    @Test func clicksDoubleClicksDragsAndScrolls() {
        let p = Point(x: 100, y: 140), q = Point(x: 102, y: 141), far = Point(x: 300, y: 400)
        let steps = build([
            .press(button: 1, at: p, time: 1.0, site: 0, window: "w1"), .release(button: 1, at: p, time: 1.05),
            .press(button: 1, at: q, time: 1.2, site: 1, window: "w1"), .release(button: 1, at: q, time: 1.25),
            .press(button: 1, at: far, time: 5.0, site: 2, window: "w1"), .release(button: 1, at: far, time: 5.05),
            .press(button: 3, at: far, time: 9.0, site: 3, window: "w1"), .release(button: 3, at: far, time: 9.05),
            .press(button: 1, at: p, time: 12.0, site: 4, window: "w1"), .release(button: 1, at: far, time: 12.5),
            .press(button: 5, at: p, time: 13.0, site: 5, window: "w1"), .release(button: 5, at: p, time: 13.0),
            .press(button: 5, at: p, time: 13.1, site: 6, window: "w1"), .release(button: 5, at: p, time: 13.1),
            .press(button: 4, at: p, time: 13.2, site: 7, window: "w1"), .release(button: 4, at: p, time: 13.2),
        ])
        #expect(steps == [
            .click(site: 0, at: p, button: .left, count: 2),
            .click(site: 2, at: far, button: .left, count: 1),
            .click(site: 3, at: far, button: .right, count: 1),
            .drag(from: 4, fromPoint: p, to: far, button: .left),
            .scroll(site: 5, at: p, direction: .down, notches: 2),
            .scroll(site: 7, at: p, direction: .up, notches: 1),
        ])
    }

    @Test func clicksTooFarApartInTimeAreSeparate() {
        let p = Point(x: 10, y: 10)
        let steps = build([
            .press(button: 1, at: p, time: 1.0, site: 0, window: nil), .release(button: 1, at: p, time: 1.05),
            .press(button: 1, at: p, time: 2.0, site: 1, window: nil), .release(button: 1, at: p, time: 2.05),
        ])
        #expect(steps == [.click(site: 0, at: p, button: .left, count: 1), .click(site: 1, at: p, button: .left, count: 1)])
    }

    @Test func aPressFlushesTyping() {
        let steps = build([key("a", "a"), .press(button: 1, at: Point(x: 1, y: 1), time: 0, site: 0, window: nil),
                           .release(button: 1, at: Point(x: 1, y: 1), time: 0.01), key("b", "b")])
        #expect(steps == [.type("a", secret: false), .click(site: 0, at: Point(x: 1, y: 1), button: .left, count: 1),
                          .type("b", secret: false)])
    }

    @Test func widgetRegionIsTheUniformAreaAroundThePoint() throws {
        // A 200x100 grey frame with a 60x20 white "button" at (50, 30) and a dark label inside it.
        var pixels = [UInt8](repeating: 0x80, count: 200 * 100 * 4)
        func paint(_ r: Rect, _ v: UInt8) {
            for y in r.y..<r.maxY { for x in r.x..<r.maxX { for c in 0..<3 { pixels[(y * 200 + x) * 4 + c] = v } } }
        }
        paint(Rect(x: 50, y: 30, width: 60, height: 20), 0xff)
        paint(Rect(x: 60, y: 35, width: 10, height: 8), 0x10)
        let frame = try Frame(width: 200, height: 100, stride: 800, format: .bgrx, pixels: pixels)
        #expect(WidgetRegion.around(Point(x: 100, y: 45), in: frame) == Rect(x: 50, y: 30, width: 60, height: 20))
        // The grey background is too large to be one widget; off-frame points have none.
        #expect(WidgetRegion.around(Point(x: 5, y: 5), in: frame, maxWidth: 150) == nil)
        #expect(WidgetRegion.around(Point(x: 500, y: 5), in: frame) == nil)
    }
}
