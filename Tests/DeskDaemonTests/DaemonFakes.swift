import DeskAgent
import DeskCore
@testable import DeskDaemon
import Foundation
import Synchronization

/// A pretend desktop for daemon tests: a blank screen, input that is recorded (typing takes time, so a
/// stop can land in the middle), no windows.
final class FakeDesk: ScreenSource, ActionPerformer, WindowLookup, Sendable {
    let screenRect: Rect
    /// Seconds per typed character.
    let typingDelay: Double
    private struct State {
        var performed: [ScreenAction] = []
        var typed = ""
        var held: Set<String> = []
        var releases = 0
    }
    private let state = Mutex(State())

    init(size: Size, typingDelay: Double) {
        screenRect = Rect(origin: Point(x: 0, y: 0), size: size)
        self.typingDelay = typingDelay
    }

    var performed: [ScreenAction] { state.withLock { $0.performed } }
    var typed: String { state.withLock { $0.typed } }
    var held: Set<String> { state.withLock { $0.held } }
    var releases: Int { state.withLock { $0.releases } }

    func capture() throws -> Frame {
        try Frame.filled(screenRect.size, format: .gray, byte: 128, captureTime: DispatchTime.now().uptimeNanoseconds)
    }

    func perform(_ action: ScreenAction) throws {
        state.withLock { $0.performed.append(action) }
        switch action {
        case .type(let text):
            for ch in text {
                // Like the real typer: the key is down while the character is typed. The sleep is the
                // work being faked — typing takes time, which is what lets a stop or a pause land in the
                // middle — not a wait for something.
                state.withLock { _ = $0.held.insert(String(ch)) }
                Thread.sleep(forTimeInterval: typingDelay)
                try StopFlag.shared.check()
                state.withLock { state in
                    state.held.remove(String(ch))
                    state.typed.append(ch)
                }
            }
        case .press(let key):
            state.withLock { _ = $0.held.insert(key) }
        case .release(let key):
            state.withLock { _ = $0.held.remove(key) }
        default:
            break
        }
    }

    func focus(window: UInt) throws {}

    func releaseAll() {
        state.withLock { state in
            state.held.removeAll()
            state.releases += 1
        }
    }

    func windows() -> [WindowSummary] { [] }
    func window(at point: Point) -> WindowSummary? { nil }
    func focusedWindow() -> WindowSummary? { nil }
    func pointer() -> Point? { Point(x: 0, y: 0) }
}

/// Frames become a tiny fake PNG (the signature, then the size); nothing ever looks changed.
struct FakeCodec: FrameCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    func encodePNG(_ frame: Frame) throws -> [UInt8] { Self.signature + Array("\(frame.width)x\(frame.height)".utf8) }
    func decodePNG(_ bytes: [UInt8], path: String) throws -> Frame { throw InputError("\(path): no PNG decoder in tests") }
    func resize(_ frame: Frame, to size: Size) -> Frame {
        (try? Frame.filled(size, format: .gray, byte: 128, captureTime: frame.captureTime)) ?? Frame.empty(.gray)
    }
    func annotate(_ frame: Frame, action: ScreenAction) -> Frame { frame }
    func changedTiles(_ a: Frame, _ b: Frame) -> [Rect] { [] }
    func locate(_ template: Frame, in screen: Frame, threshold: Double) -> ImageMatch? { nil }
}

/// A display made of one ``FakeDesk``.
final class FakeDisplay: DaemonDisplay, Sendable {
    let name: String
    let screenSize: Size
    let desk: FakeDesk
    private let calls = Mutex<(shutdowns: Int, recoveries: Int)>((0, 0))

    init(name: String, size: Size = Size(width: 320, height: 200), typingDelay: Double = 0.002) {
        self.name = name
        screenSize = size
        desk = FakeDesk(size: size, typingDelay: typingDelay)
    }

    var shutdowns: Int { calls.withLock { $0.shutdowns } }

    var details: [String: JSONValue] { ["fake": .bool(true)] }

    func makeDesktop(environment: [String: String]) throws -> Desktop {
        Desktop(screen: desk, performer: desk, windows: desk, codec: FakeCodec())
    }

    func screenshotPNG() throws -> [UInt8] { try FakeCodec().encodePNG(try desk.capture()) }

    func recover() throws -> String? {
        calls.withLock { $0.recoveries += 1 }
        return nil
    }

    func shutdown() { calls.withLock { $0.shutdowns += 1 } }
}
