import ArgumentParser
import DeskCore
import DeskX11
import Foundation

/// `deskpilot windows`: top-level windows with id, class, title, geometry and focus.
struct Windows: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List top-level windows: id (hex), WM_CLASS, title, geometry, and which has focus.")

    @OptionGroup var displayOptions: DisplayOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let context = try displayOptions.open()
        let windows = context.display.windows()
        if json {
            try JSONOutput.print(windows.map(WindowJSON.init))
            return
        }
        for w in windows {
            let geometry = "\(w.rect.width)x\(w.rect.height)+\(w.rect.x)+\(w.rect.y)"
            print("\(w.hexID)\t\(w.focused ? "*" : " ")\t\(w.className.isEmpty ? "-" : w.className)\t\(geometry)\t\(w.title)")
        }
    }
}

/// The JSON shape of one window: the id as hex text, as users write it back.
struct WindowJSON: Encodable {
    let id: String
    let instance: String
    let className: String
    let title: String
    let x: Int, y: Int, width: Int, height: Int
    let focused: Bool
    let pid: Int?

    enum CodingKeys: String, CodingKey {
        case id, instance, title, x, y, width, height, focused, pid
        case className = "class"
    }

    init(_ w: WindowInfo) {
        id = w.hexID
        instance = w.instance
        className = w.className
        title = w.title
        x = w.rect.x; y = w.rect.y; width = w.rect.width; height = w.rect.height
        focused = w.focused
        pid = w.pid
    }
}
