import DeskCore
import DeskImaging
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// Capture against a real Xvfb with the fixture app drawing a known colour pattern.
@Suite(.ownThread) struct CaptureTests {
    /// The fixture's colour bars (RGB), each 100 px wide and 100 px tall at the top of an 800 px window.
    static let bars: [(UInt8, UInt8, UInt8)] = [
        (0xFF, 0, 0), (0, 0xFF, 0), (0, 0, 0xFF), (0x12, 0x34, 0x56),
        (0xFF, 0xFF, 0xFF), (0, 0, 0), (0xFE, 0xDC, 0xBA), (0x80, 0x80, 0x80),
    ]

    func expectBars(_ frame: Frame, at origin: Point, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (i, bar) in Self.bars.enumerated() {
            let p = frame.rgb(x: origin.x + i * 100 + 50, y: origin.y + 50)
            #expect(p.r == bar.0 && p.g == bar.1 && p.b == bar.2, "bar \(i): got \(p)", sourceLocation: sourceLocation)
        }
    }

    @Test func rootCaptureMatchesThePatternPixelForPixel() throws {
        let session = try XvfbSession.start(screen: Size(width: 1024, height: 768))
        let fixture = try FixtureApp(displayName: session.displayName, geometry: Rect(x: 100, y: 50, width: 800, height: 600))
        defer { fixture.stop() }
        let display = try X11Display(name: session.displayName)
        let capturer = ScreenCapturer(display: display)
        #expect(capturer.method == .shm)
        let frame = try capturer.capture(.root)
        #expect(frame.format == .bgrx && frame.width == 1024 && frame.height == 768 && frame.stride >= 1024 * 4)
        expectBars(frame, at: Point(x: 100, y: 50))
        // Every pixel of a bar, not only its centre: the whole 100x100 block of bar 3 is 0x123456.
        var wrong = 0
        for y in 50..<150 { for x in 400..<500 where frame.rgb(x: x, y: y) != (0x12, 0x34, 0x56) { wrong += 1 } }
        #expect(wrong == 0)
    }

    @Test func shmAndGetImageGiveIdenticalFrames() throws {
        let session = try XvfbSession.start(screen: Size(width: 900, height: 700))
        let fixture = try FixtureApp(displayName: session.displayName, geometry: Rect(x: 30, y: 40, width: 800, height: 600))
        defer { fixture.stop() }
        let display = try X11Display(name: session.displayName)
        let shm = ScreenCapturer(display: display)
        let plain = ScreenCapturer(display: display, preferSHM: false)
        #expect(plain.method == .getImage)
        for target in [CaptureTarget.root, .region(Rect(x: 13, y: 17, width: 301, height: 211)), .window(fixture.window)] {
            let a = try shm.capture(target).toRGB(), b = try plain.capture(target).toRGB()
            #expect(a.size == b.size && a.origin == b.origin)
            #expect(a.pixels == b.pixels, "\(target)")
        }
        let view = try shm.withCaptureView(.root) { pixels, w, h, stride in (pixels.count, w, h, stride) }
        #expect(view.1 == 900 && view.2 == 700 && view.0 == view.3 * 700)
    }

    @Test func regionAndWindowCapturesCarryTheirOrigin() throws {
        let session = try XvfbSession.start(screen: Size(width: 1280, height: 800))
        let fixture = try FixtureApp(displayName: session.displayName, geometry: Rect(x: 250, y: 120, width: 800, height: 600))
        defer { fixture.stop() }
        let display = try X11Display(name: session.displayName)
        let capturer = ScreenCapturer(display: display)
        let window = try capturer.capture(.window(fixture.window))
        #expect(window.origin == Point(x: 250, y: 120) && window.width == 800 && window.height == 600)
        expectBars(window, at: Point(x: 0, y: 0))
        let region = try capturer.capture(.region(Rect(x: 450, y: 150, width: 300, height: 40)))
        #expect(region.origin == Point(x: 450, y: 150) && region.size == Size(width: 300, height: 40))
        // Root x 450 is window x 200: the start of bar 2 (blue), then 3 at root 550, 4 at 650.
        #expect(region.rgb(x: 50, y: 10) == (0, 0, 0xFF))
        #expect(region.rgb(x: 150, y: 10) == (0x12, 0x34, 0x56))
        #expect(region.rgb(x: 250, y: 10) == (0xFF, 0xFF, 0xFF))
        let listed = display.windows()
        let entry = try #require(listed.first { $0.id == fixture.window })
        #expect(entry.className == "DeskpilotFixture" && entry.title == "deskpilot fixture")
        #expect(entry.rect == Rect(x: 250, y: 120, width: 800, height: 600))
    }

    @Test func twoRandRMonitorsHaveTheirOffsets() throws {
        let session = try XvfbSession.start(screen: Size(width: 1600, height: 600))
        let env = session.environment()
        for argv in [["xrandr", "--setmonitor", "left", "800/211x600/158+0+0", "none"],
                     ["xrandr", "--setmonitor", "right", "800/211x600/158+800+0", "none"]] {
            let child = try ChildProcess.spawn(argv, environment: env)
            #expect(child.wait(timeout: 15) == 0, "\(argv)")
        }
        let fixture = try FixtureApp(displayName: session.displayName, geometry: Rect(x: 800, y: 0, width: 800, height: 600))
        defer { fixture.stop() }
        let display = try X11Display(name: session.displayName)
        let monitors = display.monitors()
        let names = monitors.map(\.name)
        let right = try #require(monitors.firstIndex { $0.name == "right" }, "monitors: \(names)")
        #expect(monitors[right].rect == Rect(x: 800, y: 0, width: 800, height: 600))
        let frame = try ScreenCapturer(display: display).capture(.monitor(right))
        #expect(frame.origin == Point(x: 800, y: 0) && frame.size == Size(width: 800, height: 600))
        expectBars(frame, at: Point(x: 0, y: 0))
        #expect(throws: X11Error.self) { try ScreenCapturer(display: display).capture(.monitor(monitors.count)) }
    }

    @Test func capturedFramesSurviveAPNGRoundTrip() throws {
        let session = try XvfbSession.start(screen: Size(width: 1000, height: 700))
        let fixture = try FixtureApp(displayName: session.displayName, geometry: Rect(x: 0, y: 0, width: 800, height: 600))
        defer { fixture.stop() }
        let display = try X11Display(name: session.displayName)
        let frame = try ScreenCapturer(display: display).capture(.root)
        let decoded = try PNGCodec.decode(try PNGCodec.encode(frame))
        #expect(decoded.size == frame.size)
        #expect(decoded.toRGB().pixels == frame.toRGB().pixels)
    }

    @Test func cursorOverlayDrawsThePointer() throws {
        let session = try XvfbSession.start(screen: Size(width: 400, height: 300))
        let display = try X11Display(name: session.displayName)
        let capturer = ScreenCapturer(display: display)
        let plain = try capturer.capture(.root)
        let with = CursorOverlay.apply(to: plain, display: display)
        let pointer = display.pointerPosition()
        #expect(with.pixels != plain.pixels)
        // Whatever changed is near the pointer (the default cursor is 16x16 around its hot spot).
        for y in 0..<plain.height {
            for x in 0..<plain.width where with.rgb(x: x, y: y) != plain.rgb(x: x, y: y) {
                #expect(abs(x - pointer.x) <= 16 && abs(y - pointer.y) <= 16)
            }
        }
    }

    @Test func badRequestsBecomeErrorsNotExits() throws {
        let session = try XvfbSession.start(screen: Size(width: 320, height: 240))
        let display = try X11Display(name: session.displayName)
        let capturer = ScreenCapturer(display: display)
        #expect(throws: X11Error.self) { try capturer.capture(.region(Rect(x: 300, y: 200, width: 40, height: 40))) }
        let error = #expect(throws: X11Error.self) { try display.windowGeometry(0x7FFF_0001) }
        #expect(error?.description.contains("BadWindow") == true || error?.description.contains("0x7fff0001") == true)
        // The connection is still usable afterwards.
        #expect(try capturer.capture(.root).size == Size(width: 320, height: 240))
    }

    @Test func aServerThatGoesAwayIsReportedNotFatal() throws {
        let session = try XvfbSession.start(screen: Size(width: 320, height: 240))
        let display = try X11Display(name: session.displayName)
        session.stop()
        let capturer = ScreenCapturer(display: display, preferSHM: false)
        #expect(throws: X11Error.self) { try capturer.capture(.root) }
        #expect(display.isConnectionLost)
    }
}
