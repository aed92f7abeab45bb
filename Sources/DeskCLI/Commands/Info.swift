import ArgumentParser
import DeskCore
import DeskRuntime
import DeskX11
import Foundation

/// `deskpilot info`: the display, its monitors, extensions, capture method and keyboard.
public struct Info: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Describe the display: size, monitors, extensions, capture method, keyboard layout.")

    @OptionGroup var displayOptions: DisplayOptions

    @Flag(name: .long, help: "Print one JSON object (snake_case keys) on one line.")
    var json = false

    public func run() throws {
        let context = try displayOptions.open()
        let capturer = ScreenCapturer(display: context.display)
        let sessionBus = context.desktop.map { $0.sessionBusAddress } ?? ProcessInfo.processInfo.environment["DBUS_SESSION_BUS_ADDRESS"]
        let info = context.display.info(capturer: capturer, sessionBus: sessionBus)
        if json {
            try JSONOutput.print(info)
            return
        }
        var lines = ["display     \(info.display)\(context.desktop.map { " (private Xvfb, desktop \($0.choice))" } ?? "")",
                     "vendor      \(info.vendor)",
                     "screen      \(info.screen.width)x\(info.screen.height), depth \(info.depth)"]
        for (i, m) in info.monitors.enumerated() {
            lines.append("monitor \(i)   \(m.name) \(m.rect.width)x\(m.rect.height)+\(m.rect.x)+\(m.rect.y)\(m.primary ? " primary" : "")")
        }
        let ext = X11Display.reportedExtensions.map { "\($0) \(info.extensions[$0] == true ? "yes" : "no")" }
        lines.append("extensions  " + ext.joined(separator: ", "))
        lines.append("capture     \(info.captureMethod.rawValue)\(info.captureFallbackReason.map { " (\($0))" } ?? "")")
        let k = info.keyboard
        lines.append("keyboard    layout \(k.layout.isEmpty ? "?" : k.layout)\(k.variant.isEmpty ? "" : " (\(k.variant))"), group \(k.group), model \(k.model), rules \(k.rules)")
        lines.append("wm          \(info.windowManager ? "yes, \(info.windowManagerName ?? "unnamed")" : "no (focus follows the pointer)")")
        lines.append("session bus \(info.sessionBus.map { "\($0)\(info.sessionBusAnswers ? "" : " (does not answer)")" } ?? "none")")
        lines.append("a11y bus    \(info.accessibilityBus.map { "\($0), \(info.accessibilityBusAnswers ? "answers" : "does not answer")" } ?? "none (toolkits publish no accessibility tree)")")
        lines.append("xwayland    \(info.xwayland ? "yes" : "no")")
        for w in info.warnings { lines.append("warning     \(w)") }
        print(lines.joined(separator: "\n"))
    }
}
