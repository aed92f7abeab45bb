import DeskCore
import DeskGrounding
import Testing
import DeskTestSupport

/// A small deterministic generator (SplitMix64), so the synthetic screens are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Synthetic BGRX screens with icons at known places.
enum Icons {
    /// An icon of `size` x `size` made of random 4-pixel blocks (so it has structure at coarse scales too).
    static func icon(size: Int, seed: UInt64) -> Frame {
        var rng = SplitMix(state: seed)
        var frame = try! Frame(width: size, height: size, stride: size * 4, format: .bgrx,
                          pixels: [UInt8](repeating: 0, count: size * size * 4))
        for by in stride(from: 0, to: size, by: 4) {
            for bx in stride(from: 0, to: size, by: 4) {
                let c = (UInt8.random(in: 0...255, using: &rng), UInt8.random(in: 0...255, using: &rng),
                         UInt8.random(in: 0...255, using: &rng))
                for y in by..<min(size, by + 4) { for x in bx..<min(size, bx + 4) { set(&frame, x, y, c) } }
            }
        }
        return frame
    }

    /// A light-grey screen with a few dark bars (distractors).
    static func screen(width: Int, height: Int) -> Frame {
        var frame = try! Frame(width: width, height: height, stride: width * 4, format: .bgrx,
                          pixels: [UInt8](repeating: 0xE0, count: width * height * 4))
        for y in stride(from: 40, to: height, by: 90) {
            for x in 0..<width where x % 200 < 150 { for dy in 0..<6 { set(&frame, x, y + dy, (40, 40, 60)) } }
        }
        return frame
    }

    static func paste(_ icon: Frame, into frame: inout Frame, at p: Point) {
        for y in 0..<icon.height {
            for x in 0..<icon.width {
                let c = icon.rgb(x: x, y: y)
                set(&frame, p.x + x, p.y + y, (c.r, c.g, c.b))
            }
        }
    }

    static func set(_ frame: inout Frame, _ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
        let i = y * frame.stride + x * 4
        frame[byte: i] = c.2; frame[byte: i + 1] = c.1; frame[byte: i + 2] = c.0; frame[byte: i + 3] = 0
    }
}

@Suite("Image grounding", .ownThread)
struct ImageLocatorTests {
    @Test func findsAnIconAtEveryKnownPlace() throws {
        let icon = Icons.icon(size: 24, seed: 7)
        var screen = Icons.screen(width: 640, height: 480)
        let places = [Point(x: 37, y: 51), Point(x: 500, y: 300)]
        for p in places { Icons.paste(icon, into: &screen, at: p) }
        let found = ImageLocator.locate(template: icon, in: screen, threshold: 0.9, name: "icon.png")
        #expect(found.count == 2)
        #expect(Set(found.map(\.box.origin)) == Set(places))
        #expect(found.allSatisfy { $0.score > 0.99 && $0.text == "icon.png" })
        #expect(found.first.map { $0.point == $0.box.center } == true)
    }

    @Test func reportsScreenCoordinatesForAFrameWithAnOrigin() throws {
        let icon = Icons.icon(size: 20, seed: 3)
        var screen = Icons.screen(width: 300, height: 200)
        Icons.paste(icon, into: &screen, at: Point(x: 100, y: 60))
        screen.origin = Point(x: 1920, y: 0)  // a second monitor
        let first = try #require(ImageLocator.locate(template: icon, in: screen).first)
        #expect(first.box == Rect(x: 2020, y: 60, width: 20, height: 20))
    }

    @Test func anAbsentIconIsNotFoundAndItsBestScoreIsLow() throws {
        var screen = Icons.screen(width: 640, height: 480)
        Icons.paste(Icons.icon(size: 24, seed: 7), into: &screen, at: Point(x: 37, y: 51))
        let absent = Icons.icon(size: 24, seed: 99)
        #expect(ImageLocator.locate(template: absent, in: screen, threshold: 0.9).isEmpty)
        let best = try #require(ImageLocator.best(template: absent, in: screen))
        #expect(best.score < 0.9)
    }

    @Test func aTemplateLargerThanTheScreenFindsNothing() {
        let screen = Icons.screen(width: 40, height: 40)
        #expect(ImageLocator.locate(template: Icons.icon(size: 64, seed: 1), in: screen).isEmpty)
        #expect(ImageLocator.best(template: Icons.icon(size: 64, seed: 1), in: screen) == nil)
    }
}
