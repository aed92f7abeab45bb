import DeskCore
import DeskX11

/// ``ScreenSource`` over the X11 capturer: the whole root window.
final class X11ScreenSource: ScreenSource, @unchecked Sendable {
    let capturer: ScreenCapturer
    let screenRect: Rect

    init(display: X11Display) {
        capturer = ScreenCapturer(display: display)
        screenRect = Rect(origin: Point(x: 0, y: 0), size: display.screenSize)
    }

    func capture() throws -> Frame { try capturer.capture(.root) }
}
