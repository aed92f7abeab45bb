import DeskA11y
import DeskCore
import DeskGrounding
import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// The GTK3 fixture under a real session bus and accessibility bus: the tree's bounds against the toolkit's
/// own geometry, `role`/`name` targets for every widget (symbols and icon-only buttons included), and the
/// fused grounder for plain text. libatspi keeps one bus per process, so this is the one in-process test
/// that reads a bus; the other toolkits are tested through the `deskpilot` binary.
@Suite("GTK3 accessibility grounding", .serialized, .ownThread)
struct GTKGroundingTests {
    @Test("tree bounds match GTK's geometry; role/name finds every widget; fused text finds ≥ 99 %")
    func gtkFixture() throws {
        let desktop = try A11yDesktop()
        defer { desktop.stop() }
        let fixture = try GTKFixture(on: desktop)
        let display = try X11Display(name: desktop.displayName)
        let bus = try A11yBus.connect(display: desktop.displayName, busAddress: desktop.accessibilityBus)

        // The window manager may still move the window after its first layout: compare with the latest one.
        var mismatches: [String] = []
        let (tree, widgets) = try A11yDesktop.waitFor("a tree whose bounds match the fixture's layout", timeout: 30) {
            () -> (A11yTree, [GTKFixture.Widget])? in
            let widgets = fixture.widgets()
            let tree = try bus.walk(all: false)
            mismatches = Self.mismatches(tree, widgets)
            return mismatches.isEmpty && !widgets.isEmpty ? (tree, widgets) : nil
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(widgets.count >= 30)
        for symbol in ["=", "×", "✓", "◀", "↻", "★"] { #expect(widgets.contains { $0.name == symbol }) }
        #expect(tree.problems.isEmpty, "\(tree.problems)")
        // States and actions come through.
        let radio = try #require(tree.nodes.first { $0.role == "radio button" && $0.name == "Small" })
        #expect(radio.has("checked"))
        #expect(tree.nodes.first { $0.name == "=" }?.actions.contains("click") == true)
        #expect(tree.nodes.first { $0.name == "Volume" }?.value == 0)
        // The bulk read (the application's cache, pipelined batches) gives exactly the node-by-node walk.
        let slow = try bus.walk(all: false, maxDepth: nil, bulk: false)
        let fast = try bus.walk(all: false, maxDepth: nil, bulk: true)
        #expect(fast.nodes.count == slow.nodes.count)
        let differing = zip(fast.nodes, slow.nodes).filter { $0 != $1 }.prefix(3).map { "bulk \($0.0) vs walk \($0.1)" }
        #expect(differing.isEmpty, "\(differing)")

        // Every widget by role and name, 100 %.
        let grounder = FusedGrounder(tree: bus)
        let frame = try ScreenCapturer(display: display).capture(.root)
        let windows = display.windows().map {
            WindowSummary(id: $0.id, instance: $0.instance, className: $0.className, title: $0.title, rect: $0.rect)
        }
        var missed: [String] = []
        for w in widgets {
            let found = try grounder.find(ElementQuery(role: w.role, name: w.name), in: frame, windows: windows)
            if found.count != 1 || !w.box.contains(found[0].point) { missed.append("\(w.role) '\(w.name)': \(found)") }
        }
        #expect(missed.isEmpty, "role/name missed \(missed.count) of \(widgets.count): \(missed)")
        // `button` is push and toggle buttons; case and small typos are tolerated; states filter.
        let toggles = try grounder.find(ElementQuery(role: "button", name: "bold"), in: frame, windows: windows)
        #expect(toggles.first?.node.role == "toggle button")
        #expect(try grounder.find(ElementQuery(role: "button", name: "Acount"), in: frame, windows: windows).first?.node.name == "Account")
        #expect(try grounder.find(ElementQuery(role: "radio", states: ["checked"]), in: frame, windows: windows).map(\.node.name) == ["Small"])
        #expect(try grounder.find(ElementQuery(role: "button", name: "Nonexistent"), in: frame, windows: windows).isEmpty)
        let third = try grounder.find(ElementQuery(role: "check box", nth: 3), in: frame, windows: windows)
        #expect(third.map(\.node.name) == ["Notifications"])

        // Plain text through the fused grounder (tree first, then OCR): ≥ 99 %, each saying which grounder.
        var textMissed: [String] = []
        for w in widgets {
            let found = try grounder.locate(TextQuery(w.name), in: frame, windows: windows)
            guard let best = found.first, w.box.contains(best.point) else {
                textMissed.append("'\(w.name)': \(found.first.map(\.description) ?? "nothing")")
                continue
            }
            #expect(best.grounder == Grounders.a11y)
        }
        let rate = Double(widgets.count - textMissed.count) / Double(widgets.count)
        #expect(rate >= 0.99, "fused text found \(widgets.count - textMissed.count)/\(widgets.count): \(textMissed)")
    }

    /// Widgets whose tree node (same role and name) is missing or off by more than 1 px.
    static func mismatches(_ tree: A11yTree, _ widgets: [GTKFixture.Widget]) -> [String] {
        widgets.compactMap { w in
            guard let node = tree.nodes.first(where: { $0.role == w.role && $0.name == w.name }) else {
                return "no \(w.role) '\(w.name)'"
            }
            let b = node.box, g = w.box
            let off = max(abs(b.x - g.x), abs(b.y - g.y), abs(b.width - g.width), abs(b.height - g.height))
            return off <= 1 ? nil : "\(w.name): tree \(b), GTK \(g)"
        }
    }
}
