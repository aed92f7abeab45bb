import DeskAgent
import DeskCore
@testable import DeskDaemon
import DeskRuntime
import DeskX11
import Foundation

/// A real private Xvfb as a daemon display: real XTest input and real capture (frames are encoded with
/// the fake codec: these tests look at the X server, not at PNGs).
final class XvfbTestDisplay: DaemonDisplay, Sendable {
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
        let performer = try X11InputPerformer(display: x)
        let screen = X11ScreenSource(display: x)
        return Desktop(screen: screen, performer: performer, windows: NoWindows(), codec: FakeCodec())
    }

    func screenshotPNG() throws -> [UInt8] { try FakeCodec().encodePNG(try ScreenCapturer(display: x).capture(.root)) }
    func recover() throws -> String? { nil }
    func shutdown() { session.stop() }
}

final class NoWindows: WindowLookup, Sendable {
    func windows() -> [WindowSummary] { [] }
    func window(at point: Point) -> WindowSummary? { nil }
    func focusedWindow() -> WindowSummary? { nil }
    func pointer() -> Point? { nil }
}
