import DeskAgent
import DeskCore
@testable import DeskDaemon
import DeskRuntime
import DeskX11
import Foundation
import Synchronization

/// A real private Xvfb as a daemon display: real XTest input and real capture (frames are encoded with
/// the fake codec: these tests look at the X server, not at PNGs).
final class XvfbTestDisplay: DaemonDisplay, Sendable {
    let session: XvfbSession
    let x: X11Display
    var name: String { session.displayName }
    var screenSize: Size { x.screenSize }
    var details: [String: JSONValue] { ["xvfb": .bool(true)] }
    /// How many `type` actions reached the X server (a job types long text in pieces of a few characters).
    var typedPieces: Int { pieces.withLock { $0 } }
    private let pieces = Mutex(0)

    init(screen: Size = Size(width: 640, height: 480)) throws {
        session = try XvfbSession.start(screen: screen)
        x = try X11Display(name: session.displayName)
    }

    func makeDesktop(environment: [String: String]) throws -> Desktop {
        let performer = CountingPerformer(inner: try X11InputPerformer(display: x)) { [self] in pieces.withLock { $0 += 1 } }
        let screen = X11ScreenSource(display: x)
        return Desktop(screen: screen, performer: performer, windows: NoWindows(), codec: FakeCodec())
    }

    func screenshotPNG() throws -> [UInt8] { try FakeCodec().encodePNG(try ScreenCapturer(display: x).capture(.root)) }
    func recover() throws -> String? { nil }
    func shutdown() { session.stop() }
}

/// The real performer, telling `typed` after each `type` action it performed.
final class CountingPerformer: ActionPerformer, Sendable {
    let inner: any ActionPerformer
    let typed: @Sendable () -> Void

    init(inner: any ActionPerformer, typed: @escaping @Sendable () -> Void) {
        self.inner = inner
        self.typed = typed
    }

    func perform(_ action: ScreenAction) throws {
        try inner.perform(action)
        if case .type = action { typed() }
    }

    func focus(window: UInt) throws { try inner.focus(window: window) }
    func releaseAll() { inner.releaseAll() }
    var keptKeyNames: [String] { inner.keptKeyNames }
}

final class NoWindows: WindowLookup, Sendable {
    func windows() -> [WindowSummary] { [] }
    func window(at point: Point) -> WindowSummary? { nil }
    func focusedWindow() -> WindowSummary? { nil }
    func pointer() -> Point? { nil }
}
