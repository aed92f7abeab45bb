import DeskAgent
import DeskCore

/// One display the daemon owns, as the daemon needs it; the executable implements it over X11 (an existing
/// display, or a private Xvfb of a pool), tests with fakes. DeskDaemon imports no C.
public protocol DaemonDisplay: AnyObject, Sendable {
    /// The X display name (`:5`).
    var name: String { get }
    /// The root window's size.
    var screenSize: Size { get }
    /// Facts for `GET /info` (extensions present, whether it is a private Xvfb, the keyboard layout).
    var details: [String: JSONValue] { get }
    /// Fresh adapters for one job or one direct action: screen, input (its own held-key bookkeeping), windows,
    /// codec, change watcher and process launcher; `environment` is what task commands see.
    func makeDesktop(environment: [String: String]) throws -> Desktop
    /// A PNG of the whole screen.
    func screenshotPNG() throws -> [UInt8]
    /// The top-level windows, and the id of the focused one.
    func windows() throws -> (all: [WindowSummary], focused: UInt?)
    /// The accessibility tree of what is showing, `maxDepth` levels below each window (nil: all).
    /// Throws when the display has no accessibility bus.
    func accessibilityTree(maxDepth: Int?) throws -> [A11yNodeRecord]
    /// Checks the X connection after a job failed and reconnects when it is lost; returns what it did, or
    /// nil when the display was fine. Throws when the display is gone for good.
    func recover() throws -> String?
    /// Stops what the daemon started for this display (a private Xvfb); called once at exit.
    func shutdown()
}

extension DaemonDisplay {
    public func accessibilityTree(maxDepth: Int?) throws -> [A11yNodeRecord] {
        throw EnvironmentError("display \(name) has no accessibility tree")
    }

    /// Through a desktop's window lookup (a display may answer more cheaply).
    public func windows() throws -> (all: [WindowSummary], focused: UInt?) {
        let lookup = try makeDesktop(environment: [:]).windows
        return (lookup.windows(), lookup.focusedWindow()?.id)
    }
}
