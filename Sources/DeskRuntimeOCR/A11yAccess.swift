import DeskA11y
import DeskCore
import DeskGrounding
import DeskRuntime
import DeskX11
import Foundation

/// Finds and opens the accessibility bus of a display, for `tree`, `locate`, runs and the agent.
public enum A11yAccess {
    /// The bus of `display`: the address given, else the root window's `AT_SPI_BUS` property, else the one
    /// the session bus in this process's environment hands out — only when that environment's `DISPLAY` is
    /// this display (another display's session bus would describe another screen's applications).
    /// - Throws: `EnvironmentError` (exit status 3) when there is none.
    public static func connect(_ display: X11Display, busAddress: String? = nil,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> A11yBus {
        let address = busAddress ?? display.accessibilityBusProperty()
        let sessionIsThisDisplay = !(environment["DBUS_SESSION_BUS_ADDRESS"] ?? "").isEmpty
            && environment["DISPLAY"] == display.name
        if address == nil && !sessionIsThisDisplay {
            throw EnvironmentError("no accessibility bus on \(display.name): its root window has no AT_SPI_BUS property (start a session bus and /usr/libexec/at-spi-bus-launcher --launch-immediately with DISPLAY=\(display.name); see README: accessibility)")
        }
        return try A11yBus.connect(display: display.name, busAddress: address)
    }

    /// The fused grounder for `display`: the tree when the display has an accessibility bus, OCR always.
    /// Without a bus, `problem` says why.
    public static func grounder(_ display: X11Display, busAddress: String? = nil,
                                languages: [String] = ["eng"]) -> (grounder: FusedGrounder, problem: String?) {
        do {
            return (FusedGrounder(tree: try connect(display, busAddress: busAddress), languages: languages), nil)
        } catch {
            return (FusedGrounder(tree: nil, languages: languages), "\(error)")
        }
    }

    /// The bus of a command's display: the private desktop's own accessibility bus when deskpilot started
    /// one (`--headless`), else the display's.
    public static func connect(_ context: DisplayContext) throws -> A11yBus {
        try connect(context.display, busAddress: context.desktop?.accessibilityBusAddress)
    }

    /// ``grounder(_:busAddress:languages:)`` for a command's display.
    public static func grounder(_ context: DisplayContext, languages: [String] = ["eng"]) -> (grounder: FusedGrounder, problem: String?) {
        grounder(context.display, busAddress: context.desktop?.accessibilityBusAddress, languages: languages)
    }

    /// The fused grounder of a run (`run`, `agent`, `replay`): without an accessibility bus it says so once on
    /// stderr (unless `DESKPILOT_QUIET_A11Y` is set) and grounds text by OCR alone.
    public static func runGrounder(_ context: DisplayContext,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> FusedGrounder {
        let (grounder, problem) = grounder(context)
        if let problem, environment["DESKPILOT_QUIET_A11Y"] == nil {
            FileHandle.standardError.write(Data("deskpilot: \(problem); text targets use OCR only\n".utf8))
        }
        return grounder
    }
}
