import ArgumentParser
import DeskCore
import DeskRuntime
import DeskX11
import Foundation

/// `--display :N` or `--headless [--screen WxH] [--desktop openbox|bare]`, shared by every command that
/// touches a display.
public struct DisplayOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: "The X display to use (default: $DISPLAY).")
    public var display: String?

    @Flag(name: .long, help: "Start a private Xvfb for this command and stop it on exit.")
    public var headless = false

    @Option(name: .long, help: "Screen size of the private Xvfb with --headless (WxH, default 1920x1080).")
    public var screen: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --headless: openbox (window manager, D-Bus session bus, accessibility bus) or bare (the Xvfb alone).",
        discussion: "Default: the task's 'desktop:', else bare."))
    public var desktop: String?

    public func validate() throws {
        if display != nil && headless { throw ValidationError("--display and --headless exclude each other") }
        if let screen, Size(parsing: screen) == nil {
            throw ValidationError("--screen wants WxH, e.g. 1920x1080 (got '\(screen)')")
        }
        if screen != nil && !headless { throw ValidationError("--screen only applies with --headless") }
        if let desktop {
            guard DesktopChoice(name: desktop) != nil else {
                throw ValidationError("--desktop wants \(DesktopChoice.names.joined(separator: " or ")) (got '\(desktop)')")
            }
            if !headless { throw ValidationError("--desktop only applies with --headless") }
        }
    }

    /// The requested headless screen size.
    public var headlessScreen: Size { screen.flatMap { Size(parsing: $0) } ?? XvfbSession.defaultScreen }

    /// The desktop `--desktop` asks for, if given.
    public var desktopChoice: DesktopChoice? { desktop.flatMap { DesktopChoice(name: $0) } }

    /// The display this asks for.
    public var request: DisplayRequest {
        DisplayRequest(display: display, headless: headless, screen: screen.flatMap { Size(parsing: $0) },
                       desktop: desktopChoice)
    }

    /// Opens the display, starting a private desktop first with `--headless`. The desktop (if any) must be kept
    /// alive as long as the display is used.
    public func open() throws -> DisplayContext { try request.open() }
}
