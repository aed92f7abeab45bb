import DeskAgent
import DeskCore
@testable import DeskDaemon
import DeskX11
import Foundation

/// A real private Xvfb as a daemon display: real XTest input and real capture (frames are encoded with
/// the fake codec: these tests look at the X server, not at PNGs).
final class XvfbTestDisplay: DaemonDisplay, @unchecked Sendable {
    let session: XvfbSession
    let x: X11Display
    var name: String { session.displayName }
    var screenSize: Size { x.screenSize }
    var details: [String: JSONValue] { ["xvfb": .bool(true)] }

    init(screen: Size = Size(width: 640, height: 480)) throws {
        session = try XvfbSession.start(screen: screen)
        x = try X11Display(name: session.displayName)
    }

    func makeDesktop(environment: [String: String]) throws -> Desktop {
        let performer = try InjectorPerformer(display: x)
        let screen = CapturerScreen(display: x)
        return Desktop(screen: screen, performer: performer, windows: NoWindows(), codec: FakeCodec())
    }

    func screenshotPNG() throws -> [UInt8] { try FakeCodec().encodePNG(try ScreenCapturer(display: x).capture(.root)) }
    func recover() throws -> String? { nil }
    func shutdown() { session.stop() }
}

final class InjectorPerformer: ActionPerformer, @unchecked Sendable {
    let injector: InputInjector
    init(display: X11Display) throws { injector = try InputInjector(display: display) }
    func perform(_ action: ScreenAction) throws { try injector.perform(action) }
    func focus(window: UInt) throws { try injector.focus(window) }
    func releaseAll() {
        injector.releaseAll()
        injector.restoreKeymap()
    }
}

final class CapturerScreen: ScreenSource, @unchecked Sendable {
    let capturer: ScreenCapturer
    let screenRect: Rect
    init(display: X11Display) {
        capturer = ScreenCapturer(display: display)
        screenRect = Rect(origin: Point(x: 0, y: 0), size: display.screenSize)
    }
    func capture() throws -> Frame { try capturer.capture(.root) }
}

final class NoWindows: WindowLookup, @unchecked Sendable {
    func windows() -> [WindowSummary] { [] }
    func window(at point: Point) -> WindowSummary? { nil }
    func focusedWindow() -> WindowSummary? { nil }
    func pointer() -> Point? { nil }
}
