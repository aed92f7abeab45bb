import DeskCore
import DeskX11

/// Which display a command wants: an existing one (`--display`, default `$DISPLAY`) or a private desktop
/// (`--headless [--screen WxH] [--desktop openbox|bare]`).
public struct DisplayRequest: Sendable {
    /// The X display name; nil means `$DISPLAY`.
    public var display: String?
    /// Start a private Xvfb and stop it when the process ends.
    public var headless: Bool
    /// The private Xvfb's size as asked for; nil means the default (or a task's preferred size).
    public var screen: Size?
    /// What runs around the private Xvfb as asked for; nil means a task's `desktop:`, else bare.
    public var desktop: DesktopChoice?

    public init(display: String? = nil, headless: Bool = false, screen: Size? = nil, desktop: DesktopChoice? = nil) {
        self.display = display
        self.headless = headless
        self.screen = screen
        self.desktop = desktop
    }

    /// The requested headless screen size.
    public var headlessScreen: Size { screen ?? XvfbSession.defaultScreen }

    /// Opens the display, starting a private desktop first when headless (stopped by ``Cleanup`` at exit, and
    /// by its reaper even on SIGKILL). What the command line asked for wins over a task's `preferredScreen` and
    /// `preferredDesktop`.
    public func open(preferredScreen: Size? = nil, preferredDesktop: DesktopChoice? = nil) throws -> DisplayContext {
        if headless {
            let desktop = try DesktopSession.start(desktop ?? preferredDesktop ?? .bare,
                                                   screen: screen ?? preferredScreen ?? XvfbSession.defaultScreen)
            Cleanup.shared.register { desktop.stop() }
            return DisplayContext(display: try X11Display(name: desktop.displayName), desktop: desktop)
        }
        return DisplayContext(display: try X11Display(name: display), desktop: nil)
    }
}

/// An open display and the private desktop behind it, when there is one.
public struct DisplayContext: Sendable {
    public let display: X11Display
    public let desktop: DesktopSession?

    public init(display: X11Display, desktop: DesktopSession?) {
        self.display = display
        self.desktop = desktop
    }

    /// The private Xvfb, when deskpilot started one.
    public var session: XvfbSession? { desktop?.xvfb }
}
