import ArgumentParser
import DeskCore
import DeskRuntime
import DeskX11
import Foundation

/// `deskpilot windows`: top-level windows with id, class, title, geometry and focus.
public struct Windows: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "List top-level windows: id (hex), WM_CLASS, title, geometry, and which has focus.")

    @OptionGroup var displayOptions: DisplayOptions

    @Flag(name: .long, help: "Print one JSON object per window per line (JSON Lines).")
    var json = false

    public func run() throws {
        let context = try displayOptions.open()
        let windows = context.display.windows()
        if json {
            try JSONOutput.printLines(windows.map(WindowJSON.init))
            return
        }
        for w in windows {
            let geometry = "\(w.rect.width)x\(w.rect.height)+\(w.rect.x)+\(w.rect.y)"
            print("\(w.hexID)\t\(w.focused ? "*" : " ")\t\(w.className.isEmpty ? "-" : w.className)\t\(geometry)\t\(w.title)")
        }
    }
}

/// The JSON shape of one window (also the MCP `windows` tool's): the id as hex text, as users write it back;
/// the geometry as a box `{x, y, width, height}`.
struct WindowJSON: Encodable {
    let id: String
    let instance: String
    let className: String
    let title: String
    let box: Rect
    let focused: Bool
    let pid: Int?
    /// The box with the window manager's decorations, when one draws them.
    let frame: Rect?
    /// The id of the window this one is a dialog of.
    let transientFor: String?

    enum CodingKeys: String, CodingKey {
        case id, instance, title, box, focused, pid, frame
        case className = "class"
        case transientFor = "transient_for"
    }

    init(_ w: WindowInfo) {
        id = w.hexID
        instance = w.instance
        className = w.className
        title = w.title
        box = w.rect
        focused = w.focused
        pid = w.pid
        frame = w.frame
        transientFor = w.transientFor.map { "0x" + String($0, radix: 16) }
    }
}
