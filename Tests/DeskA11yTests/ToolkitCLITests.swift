import DeskCore
import Foundation
import Testing
import DeskTestSupport

/// `deskpilot tree`, `locate --role/--name` and element tasks through the binary, on real toolkits under a
/// private desktop (Xvfb + session bus + accessibility bus + openbox): GTK3 (the fixture, galculator),
/// Qt5 (featherpad) and Chromium on a local page. Each test has its own desktop.
@Suite("Accessibility on real toolkits (CLI)", .ownThread)
struct ToolkitCLITests {
    /// Waits until `tree --json` on the desktop shows a node `accepting` (apps take a moment to register).
    static func waitForNode(on desktop: A11yDesktop, window: String? = nil, timeout: Double = 40,
                            _ accepting: @escaping ([String: Any]) -> Bool) throws -> [[String: Any]] {
        try A11yDesktop.waitFor("a matching node in tree --json", timeout: timeout, every: 0.5) {
            let r = try TestTools.deskpilot(["tree", "--json", "--display", desktop.displayName] + (window.map { ["--window", $0] } ?? []),
                                            on: desktop)
            let lines = r.jsonLines
            return r.status == 0 && lines.contains(where: accepting) ? lines : nil
        }
    }

    @Test("GTK fixture: tree --json shape, a window without a tree, an element task recorded with its grounder")
    func gtkTreeAndTask() throws {
        let desktop = try A11yDesktop()
        defer { desktop.stop() }
        let fixture = try GTKFixture(on: desktop)
        try desktop.launch(["xterm", "-title", "plain xterm", "-geometry", "40x5+900+600"])
        let lines = try Self.waitForNode(on: desktop) { $0["name"] as? String == "=" }
        let equals = try #require(lines.first { $0["name"] as? String == "=" })
        #expect(equals["role"] as? String == "push button")
        let box = try #require(equals["box"] as? [String: Int])
        #expect(Set(box.keys) == ["x", "y", "width", "height"])
        #expect((equals["states"] as? [String])?.contains("showing") == true)
        #expect((equals["actions"] as? [String]) == ["click"])
        #expect(equals["parent"] is Int && equals["id"] is Int)
        let frame = try #require(lines.first { $0["role"] as? String == "frame" })
        #expect((frame["window"] as? String)?.hasPrefix("0x") == true)
        // xterm has no tree: one line naming it, not an error.
        let xterm = try A11yDesktop.waitFor("xterm's no-tree line", timeout: 20, every: 0.5) { () -> [String: Any]? in
            let r = try TestTools.deskpilot(["tree", "--json"], on: desktop)
            return r.jsonLines.first { $0["class"] as? String == "XTerm" }
        }
        #expect(xterm["accessible"] as? Bool == false)
        let text = try TestTools.deskpilot(["tree"], on: desktop)
        #expect(text.status == 0)
        #expect(text.stdout.contains("XTerm \"plain xterm\""))
        #expect(text.stdout.contains("push button \"×\""))
        // --window and --depth narrow it.
        let scoped = try TestTools.deskpilot(["tree", "--json", "--window", "title:GTK fixture", "--depth", "1"], on: desktop)
        #expect(scoped.status == 0)
        #expect(scoped.jsonLines.allSatisfy { ($0["depth"] as? Int ?? 0) <= 2 && $0["class"] == nil })
        #expect(scoped.jsonLines.contains { $0["role"] as? String == "frame" })

        // locate --role/--name and locate TEXT say which grounder found it.
        let located = try TestTools.deskpilot(["locate", "--role", "button", "--name", "↻", "--json"], on: desktop)
        #expect(located.status == 0, "\(located.stderr)")
        let point = try #require(located.json?["point"] as? [String: Int])
        let refresh = try #require(fixture.widgets().first { $0.name == "↻" })
        #expect(refresh.box.contains(Point(x: point["x"] ?? -1, y: point["y"] ?? -1)))
        #expect(located.json?["source"] as? String == "a11y")
        #expect(located.json?["role"] as? String == "push button")
        let missing = try TestTools.deskpilot(["locate", "--role", "button", "--name", "Frobnicate"], on: desktop)
        #expect(missing.status == 1)

        // A task with element targets, a text target, a wait and checks.
        let dir = desktop.scratch + "/task"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let task = dir + "/gtk.yaml"
        try """
        name: gtk-elements
        steps:
          - wait_for: {element: {role: button, name: "="}}
          - click: {element: {role: button, name: "="}}
          - click: {element: {role: button, name: "Settings"}}
          - click: "Share"
          - click: {element: {role: check box, name: Dark mode}}
          - click: {element: {role: text, name: Name}}
          - type: "hello"
        checks:
          - element: {role: check box, name: Dark mode, states: [checked]}
          - element_text: {element: {role: text, name: Name}, regex: "^hello$"}
          - not: {element: {role: check box, name: Notifications, states: [checked]}}
        """.write(toFile: task, atomically: true, encoding: .utf8)
        let run = try TestTools.deskpilot(["run", task, "--trace-dir", dir + "/traces"], on: desktop, timeout: 120)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(Array(fixture.clicks().prefix(5)) == ["=", "Settings", "Share", "Dark mode", "Name"])
        let traces = try FileManager.default.contentsOfDirectory(atPath: dir + "/traces")
        let trace = try String(contentsOfFile: dir + "/traces/\(try #require(traces.first))/trace.jsonl", encoding: .utf8)
        #expect(trace.contains("\"grounder\":\"a11y\""))
        #expect(trace.contains("\"role\":\"push button\""))
    }

    @Test("galculator: click {element: {role: button, name: \"=\"}} computes")
    func galculatorComputes() throws {
        let desktop = try A11yDesktop()
        defer { desktop.stop() }
        try desktop.launch(["galculator"], environment: ["HOME": desktop.scratch])
        _ = try Self.waitForNode(on: desktop) { $0["name"] as? String == "=" && $0["app"] as? String == "galculator" }
        let task = desktop.scratch + "/galculator.yaml"
        try """
        name: galculator-sum
        steps:
          - click: {element: {role: button, name: "7"}}
          - click: {element: {role: button, name: "+"}}
          - click: {element: {role: button, name: "5"}}
          - click: {element: {role: button, name: "="}}
        checks:
          - element_text: {element: {role: text, within: galculator}, regex: "^12$"}
        """.write(toFile: task, atomically: true, encoding: .utf8)
        let run = try TestTools.deskpilot(["run", task, "--trace-dir", desktop.scratch + "/traces"], on: desktop, timeout: 120)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
    }

    @Test("Qt (featherpad with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1): tree and role/name")
    func qtFeatherpad() throws {
        let desktop = try A11yDesktop()
        defer { desktop.stop() }
        try desktop.launch(["featherpad"], environment: [
                                                         "HOME": desktop.scratch])
        let lines = try Self.waitForNode(on: desktop) { $0["name"] as? String == "Find" && $0["role"] as? String == "push button" }
        #expect(lines.contains { $0["role"] as? String == "menu item" && $0["name"] as? String == "File" })
        #expect(lines.contains { $0["role"] as? String == "text" && (($0["states"] as? [String]) ?? []).contains("editable") })
        let located = try TestTools.deskpilot(["locate", "--role", "menu item", "--name", "file", "--json"], on: desktop)
        #expect(located.status == 0, "\(located.stderr)")
        #expect(located.json?["text"] as? String == "File")
        // Closed menus' items are not showing: none of them is in the tree.
        #expect(!lines.contains { $0["name"] as? String == "Save As" || $0["name"] as? String == "&Save As..." })
    }

    @Test("Chromium with --force-renderer-accessibility on a local page: the page's elements by role and name")
    func chromiumPage() throws {
        let desktop = try A11yDesktop()
        defer { desktop.stop() }
        let page = desktop.scratch + "/page.html"
        try """
        <!doctype html><html><head><title>Checkout</title></head><body style="font-size:13px">
        <h1>Basket</h1><label for=q>Quantity</label> <input id=q value=2>
        <button onclick="document.title='Ordered'">Place order</button> <a href="#terms">Terms</a>
        </body></html>
        """.write(toFile: page, atomically: true, encoding: .utf8)
        try desktop.launch(["chromium", "--force-renderer-accessibility", "--no-sandbox", "--no-first-run",
                            "--disable-gpu", "--user-data-dir=\(desktop.scratch)/profile", "--window-size=900,700",
                            "file://\(page)"], environment: ["ACCESSIBILITY_ENABLED": "1", "HOME": desktop.scratch])
        let lines = try Self.waitForNode(on: desktop, timeout: 90) { $0["name"] as? String == "Place order" }
        let button = try #require(lines.first { $0["name"] as? String == "Place order" })
        #expect(button["role"] as? String == "push button")
        #expect(lines.contains { $0["role"] as? String == "entry" && $0["name"] as? String == "Quantity" && $0["text"] as? String == "2" })
        let task = desktop.scratch + "/order.yaml"
        try """
        name: chromium-order
        steps:
          - click: {element: {role: button, name: Place order}}
        checks:
          - window: {title: Ordered}
        """.write(toFile: task, atomically: true, encoding: .utf8)
        let run = try TestTools.deskpilot(["run", task, "--trace-dir", desktop.scratch + "/traces"], on: desktop, timeout: 120)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
    }
}
