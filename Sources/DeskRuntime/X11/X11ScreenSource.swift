import DeskCore
import DeskX11

/// ``ScreenSource`` over the X11 capturer: the whole root window.
public final class X11ScreenSource: ScreenSource, Sendable {
    public let capturer: ScreenCapturer
    public let screenRect: Rect

    public init(display: X11Display) {
        capturer = ScreenCapturer(display: display)
        screenRect = Rect(origin: Point(x: 0, y: 0), size: display.screenSize)
    }

    public func capture() throws -> Frame { try capturer.capture(.root) }
}
