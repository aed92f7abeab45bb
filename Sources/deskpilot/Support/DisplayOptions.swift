import ArgumentParser
import DeskCore
import DeskRuntime
import DeskX11
import Foundation

/// `--display :N` or `--headless [--screen WxH]`, shared by every command that touches a display.
struct DisplayOptions: ParsableArguments {
    @Option(name: .long, help: "The X display to use (default: $DISPLAY).")
    var display: String?

    @Flag(name: .long, help: "Start a private Xvfb for this command and stop it on exit.")
    var headless = false

    @Option(name: .long, help: "Screen size of the private Xvfb with --headless (WxH, default 1920x1080).")
    var screen: String?

    func validate() throws {
        if display != nil && headless { throw ValidationError("--display and --headless exclude each other") }
        if let screen, Size(parsing: screen) == nil {
            throw ValidationError("--screen wants WxH, e.g. 1920x1080 (got '\(screen)')")
        }
        if screen != nil && !headless { throw ValidationError("--screen only applies with --headless") }
    }

    /// The requested headless screen size.
    var headlessScreen: Size { screen.flatMap { Size(parsing: $0) } ?? XvfbSession.defaultScreen }

    /// The display this asks for.
    var request: DisplayRequest {
        DisplayRequest(display: display, headless: headless, screen: screen.flatMap { Size(parsing: $0) })
    }

    /// Opens the display, starting a private Xvfb first with `--headless`. The session (if any) must be kept
    /// alive as long as the display is used.
    func open() throws -> DisplayContext { try request.open() }
}
