import DeskCore
import DeskX11

/// Which display a command wants: an existing one (`--display`, default `$DISPLAY`) or a private Xvfb
/// (`--headless [--screen WxH]`).
public struct DisplayRequest: Sendable {
    /// The X display name; nil means `$DISPLAY`.
    public var display: String?
    /// Start a private Xvfb and stop it when the process ends.
    public var headless: Bool
    /// The private Xvfb's size as asked for; nil means the default (or a task's preferred size).
    public var screen: Size?

    public init(display: String? = nil, headless: Bool = false, screen: Size? = nil) {
        self.display = display
        self.headless = headless
        self.screen = screen
    }

    /// The requested headless screen size.
    public var headlessScreen: Size { screen ?? XvfbSession.defaultScreen }

    /// Opens the display, starting a private Xvfb first when headless (stopped by ``Cleanup`` at exit).
    public func open() throws -> DisplayContext {
        if headless {
            let session = try XvfbSession.start(screen: headlessScreen)
            Cleanup.shared.register { session.stop() }
            return DisplayContext(display: try X11Display(name: session.displayName), session: session)
        }
        return DisplayContext(display: try X11Display(name: display), session: nil)
    }
}

/// An open display and the private server behind it, when there is one.
public struct DisplayContext: Sendable {
    public let display: X11Display
    public let session: XvfbSession?

    public init(display: X11Display, session: XvfbSession?) {
        self.display = display
        self.session = session
    }
}
