import DeskCore
import DeskDaemon
import DeskGrounding
import DeskRuntime
import DeskRuntimeOCR
import DeskX11
import Foundation
import Synchronization

/// The MCP `locate` tool over the grounding `deskpilot locate` uses: the accessibility tree when the display
/// has a bus, then OCR. The grounder is made on the first call (OCR loads its models then), so an idle
/// server stays small, and kept for the next calls.
public final class GroundedTextLocating: TextLocating, Sendable {
    private let grounder = Mutex<FusedGrounder?>(nil)

    public init() {}

    public func locate(_ text: String, on display: any DaemonDisplay) throws -> [LocatedMatch] {
        guard let x11 = display as? X11DaemonDisplay else {
            throw EnvironmentError("locate needs an X11 display")
        }
        let frame = try ScreenCapturer(display: x11.display).capture(.root)
        let windows = X11WindowLookup(display: x11.display).windows()
        let engine = grounder.withLock { made in
            if let made { return made }
            let fresh = A11yAccess.grounder(x11.display, busAddress: x11.session?.accessibilityBusAddress).grounder
            made = fresh
            return fresh
        }
        return try engine.locate(TextQuery(text), in: frame, windows: windows).map(LocatedMatch.init)
    }
}
