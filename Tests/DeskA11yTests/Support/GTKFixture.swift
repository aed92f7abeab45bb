import DeskCore
import DeskX11
import Foundation

/// `deskpilot-gtk-fixture` on a desktop: its widgets' own geometry (latest layout) and the clicks it got.
final class GTKFixture: Sendable {
    struct Widget: Hashable {
        var name: String
        var kind: String
        var role: String
        var box: Rect
    }

    let process: ChildProcess
    let logPath: String

    init(on desktop: A11yDesktop, title: String = "deskpilot GTK fixture") throws {
        logPath = desktop.scratch + "/gtk-fixture-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        process = try desktop.launch([try TestTools.path("deskpilot-gtk-fixture"), "--log", logPath, "--title", title])
        _ = try A11yDesktop.waitFor("the GTK fixture's first layout", timeout: 30) { widgets().isEmpty ? nil : true }
    }

    func events() -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The widgets of the latest complete layout (the one a `ready` line closed).
    func widgets() -> [Widget] {
        let all = events()
        guard let layout = all.last(where: { $0["event"] as? String == "ready" })?["layout"] as? Int else { return [] }
        return all.filter { $0["event"] as? String == "widget" && $0["layout"] as? Int == layout }.map {
            Widget(name: $0["name"] as? String ?? "", kind: $0["kind"] as? String ?? "", role: $0["role"] as? String ?? "",
                   box: Rect(x: $0["x"] as? Int ?? 0, y: $0["y"] as? Int ?? 0, width: $0["width"] as? Int ?? 0,
                             height: $0["height"] as? Int ?? 0))
        }
    }

    /// Names of the widgets clicked so far, in order.
    func clicks() -> [String] {
        events().filter { $0["event"] as? String == "click" }.compactMap { $0["name"] as? String }
    }
}
