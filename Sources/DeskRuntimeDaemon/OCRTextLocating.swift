import DeskCore
import DeskDaemon
import DeskGrounding
import DeskRuntime
import DeskX11
import Foundation

/// The MCP `locate` tool over DeskGrounding's OCR. The OCR engines load on the first call, so an idle
/// server stays small.
public final class OCRTextLocating: TextLocating, @unchecked Sendable {
    public init() {}

    private let lock = NSLock()
    private var locator: TextLocator?

    public func locate(_ text: String, on display: any DaemonDisplay) throws -> [LocatedMatch] {
        guard let x11 = display as? X11DaemonDisplay else {
            throw EnvironmentError("locate needs an X11 display")
        }
        let frame = try ScreenCapturer(display: x11.display).capture(.root)
        let windows = X11WindowLookup(display: x11.display).windows()
        let engine = lock.withLock {
            if let locator { return locator }
            let made = TextLocator()
            locator = made
            return made
        }
        return try engine.locate(TextQuery(text), in: frame, windows: windows).map {
            LocatedMatch(text: $0.text, box: $0.box, point: $0.point, score: $0.score, source: "ocr")
        }
    }
}
