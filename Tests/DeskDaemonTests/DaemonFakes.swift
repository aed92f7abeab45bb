import DeskAgent
import DeskCore
@testable import DeskDaemon
import Foundation

/// A pretend desktop for daemon tests: a blank screen, input that is recorded (typing takes time, so a
/// stop can land in the middle), no windows.
final class FakeDesk: ScreenSource, ActionPerformer, WindowLookup, @unchecked Sendable {
    let screenRect: Rect
    /// Seconds per typed character.
    let typingDelay: Double
    private let lock = NSLock()
    private var _performed: [ScreenAction] = []
    private var _typed = ""
    private var _held: Set<String> = []
    private var _releases = 0

    init(size: Size, typingDelay: Double) {
        screenRect = Rect(origin: Point(x: 0, y: 0), size: size)
        self.typingDelay = typingDelay
    }

    var performed: [ScreenAction] { lock.withLock { _performed } }
    var typed: String { lock.withLock { _typed } }
    var held: Set<String> { lock.withLock { _held } }
    var releases: Int { lock.withLock { _releases } }

    func capture() throws -> Frame {
        try Frame.filled(screenRect.size, format: .gray, byte: 128, captureTime: DispatchTime.now().uptimeNanoseconds)
    }

    func perform(_ action: ScreenAction) throws {
        lock.withLock { _performed.append(action) }
        switch action {
        case .type(let text):
            for ch in text {
                // Like the real typer: the key is down while the character is typed.
                lock.withLock { _ = _held.insert(String(ch)) }
                Thread.sleep(forTimeInterval: typingDelay)
                try StopFlag.shared.check()
                lock.withLock {
                    _held.remove(String(ch))
                    _typed.append(ch)
                }
            }
        case .press(let key):
            lock.withLock { _ = _held.insert(key) }
        case .release(let key):
            lock.withLock { _ = _held.remove(key) }
        default:
            break
        }
    }

    func focus(window: UInt) throws {}

    func releaseAll() {
        lock.withLock {
            _held.removeAll()
            _releases += 1
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
final class FakeDisplay: DaemonDisplay, @unchecked Sendable {
    let name: String
    let screenSize: Size
    let desk: FakeDesk
    private let lock = NSLock()
    private var _shutdowns = 0
    private var _recoveries = 0

    init(name: String, size: Size = Size(width: 320, height: 200), typingDelay: Double = 0.002) {
        self.name = name
        screenSize = size
        desk = FakeDesk(size: size, typingDelay: typingDelay)
    }

    var shutdowns: Int { lock.withLock { _shutdowns } }

    var details: [String: JSONValue] { ["fake": .bool(true)] }

    func makeDesktop(environment: [String: String]) throws -> Desktop {
        Desktop(screen: desk, performer: desk, windows: desk, codec: FakeCodec())
    }

    func screenshotPNG() throws -> [UInt8] { try FakeCodec().encodePNG(try desk.capture()) }

    func recover() throws -> String? {
        lock.withLock { _recoveries += 1 }
        return nil
    }

    func shutdown() { lock.withLock { _shutdowns += 1 } }
}
