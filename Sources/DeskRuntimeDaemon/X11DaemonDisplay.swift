import DeskA11y
import DeskAgent
import DeskCore
import DeskDaemon
import DeskRuntime
import DeskRuntimeOCR
import DeskX11
import Foundation
import Synchronization

/// A display of `deskpilot serve` or `deskpilot mcp`: an existing X display, or a private desktop it started.
///
/// Each job gets fresh adapters (its own input injector, so held keys are per job, and its own DAMAGE
/// watcher); they share the display connection, which is replaced when a job broke it.
public final class X11DaemonDisplay: DaemonDisplay, Sendable {
    public let name: String
    public let session: DesktopSession?
    public let screenSize: Size
    /// The connection (replaced by ``recover()``) and what `details` reports.
    private struct State {
        var connection: X11Display
        var details: [String: JSONValue]
    }
    private let state: Mutex<State>

    /// Opens `name` (nil: `$DISPLAY`).
    public init(name: String?) throws {
        let display = try X11Display(name: name)
        self.name = display.name
        session = nil
        screenSize = display.screenSize
        state = Mutex(State(connection: display, details: Self.describe(display, headless: false)))
        // Undo at once what a killed deskpilot left on this display (its runtime journal), not at the first job.
        _ = try? InputInjector(display: display)
    }

    /// Starts a private desktop (Xvfb, and with `openbox` a window manager and the buses) of `screen`.
    public init(headless screen: Size, desktop: DesktopChoice = .bare) throws {
        let session = try DesktopSession.start(desktop, screen: screen)
        do {
            let display = try X11Display(name: session.displayName)
            self.session = session
            name = session.displayName
            screenSize = display.screenSize
            var details = Self.describe(display, headless: true)
            details["desktop"] = .string(desktop.description)
            if let wm = session.windowManagerName { details["window_manager_name"] = .string(wm) }
            state = Mutex(State(connection: display, details: details))
        } catch {
            session.stop()
            throw error
        }
    }

    public var display: X11Display { state.withLock { $0.connection } }

    public var details: [String: JSONValue] { state.withLock { $0.details } }

    public func makeDesktop(environment: [String: String]) throws -> Desktop {
        let display = self.display
        let performer = try X11InputPerformer(display: display)
        var watcher: (any ChangeWatcher)?
        do {
            watcher = try DamageChangeWatcher(displayName: name)
        } catch {
            // Without DAMAGE the settle logic compares frames instead: slower, still correct.
            watcher = nil
        }
        // The grounding `run` uses: the accessibility tree when the display has a bus, OCR always (loaded on
        // a job's first text target, so the idle daemon stays small).
        let grounder = A11yAccess.grounder(display, busAddress: session?.accessibilityBusAddress).grounder
        return Desktop(screen: X11ScreenSource(display: display), performer: performer,
                       windows: X11WindowLookup(display: display), codec: ImagingCodec(), watcher: watcher,
                       prompt: nil, launcher: ChildProcessLauncher(displayName: name, desktop: session, base: environment),
                       textFinder: grounder, elementFinder: grounder.hasTree ? grounder : nil)
    }

    public func screenshotPNG() throws -> [UInt8] {
        let frame = try ScreenCapturer(display: display).capture(.root)
        return try ImagingCodec().encodePNG(frame)
    }

    public func windows() throws -> (all: [WindowSummary], focused: UInt?) {
        let lookup = X11WindowLookup(display: display)
        return (lookup.windows(), lookup.focusedWindow()?.id)
    }

    public func accessibilityTree(maxDepth: Int?) throws -> [A11yNodeRecord] {
        let display = self.display
        let tree = try A11yAccess.connect(display, busAddress: session?.accessibilityBusAddress).walk(all: false, maxDepth: maxDepth)
        return A11yNodeRecord.records(of: tree, xWindows: X11WindowLookup(display: display).windows())
    }

    public func recover() throws -> String? {
        guard display.isConnectionLost else { return nil }
        let fresh = try X11Display(name: name)
        state.withLock { $0.connection = fresh }
        return "the X connection was lost and has been reopened"
    }

    public func shutdown() { session?.stop() }

    public static func describe(_ display: X11Display, headless: Bool) -> [String: JSONValue] {
        var extensions: [String: JSONValue] = [:]
        for name in X11Display.reportedExtensions { extensions[name] = .bool(display.hasExtension(name)) }
        let keyboard = display.keyboardDescription()
        return ["extensions": .object(extensions), "xvfb": .bool(headless),
                "keyboard_layout": .string(keyboard.layout), "xwayland": .bool(display.isXwayland())]
    }
}
