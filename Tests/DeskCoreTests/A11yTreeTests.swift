import DeskCore
import Testing

@Suite("Accessibility tree data")
struct A11yTreeTests {
    static func node(_ id: Int, _ parent: Int?, _ depth: Int, _ role: String, _ name: String, _ box: Rect,
                     window: Int? = nil, states: [String] = ["showing", "visible", "enabled"]) -> A11yNode {
        A11yNode(id: id, parent: parent, depth: depth, role: role, name: name, states: states, box: box, app: "app",
                 window: window)
    }

    static let tree = A11yTree(nodes: [
        node(0, nil, 0, "application", "app", Rect(x: 0, y: 0, width: 0, height: 0)),
        node(1, 0, 1, "frame", "Main", Rect(x: 0, y: 0, width: 400, height: 300), window: 1),
        node(2, 1, 2, "push button", "OK", Rect(x: 10, y: 10, width: 50, height: 20), window: 1),
        node(3, 2, 3, "label", "OK", Rect(x: 12, y: 12, width: 40, height: 16), window: 1),
        node(4, 0, 1, "dialog", "Other", Rect(x: 500, y: 0, width: 200, height: 100), window: 4),
        node(5, 4, 2, "toggle button", "Bold", Rect(x: 510, y: 10, width: 50, height: 20), window: 4),
    ])

    @Test func rolesAndAliases() {
        #expect(A11yRole.matches("button", "push button"))
        #expect(A11yRole.matches("button", "toggle button"))
        #expect(!A11yRole.matches("button", "radio button"))
        #expect(A11yRole.matches("checkbox", "check box"))
        #expect(A11yRole.matches("Push_Button", "push button"))
        #expect(A11yRole.matches("pushbutton", "push button"))
        #expect(A11yRole.matches("window", "dialog"))
        #expect(!A11yRole.matches("label", "push button"))
        #expect(A11yStates.normalized("MULTI_LINE") == "multi line")
    }

    @Test func filtersWindowsAndDepthRenumbering() {
        let other = Self.tree.filteringWindows { $0.name == "Other" }
        #expect(other.nodes.map(\.name) == ["app", "Other", "Bold"])
        #expect(other.nodes.map(\.id) == [0, 1, 2])
        #expect(other.nodes[2].parent == 1 && other.nodes[2].window == 1)
        let shallow = Self.tree.limitingDepth(1)
        #expect(shallow.nodes.map(\.name) == ["app", "Main", "OK", "Other", "Bold"])
    }

    @Test func matchesXWindowsByOverlapAndTitle() {
        let windows = [
            WindowSummary(id: 0x10, instance: "a", className: "A", title: "Main", rect: Rect(x: 0, y: 0, width: 400, height: 300)),
            WindowSummary(id: 0x20, instance: "x", className: "XTerm", title: "xterm", rect: Rect(x: 800, y: 400, width: 200, height: 100)),
        ]
        #expect(A11yTree.xWindow(for: Self.tree.nodes[1], in: windows)?.id == 0x10)
        #expect(A11yTree.xWindow(for: Self.tree.nodes[4], in: windows) == nil)
        #expect(Self.tree.windowsWithoutTree(windows).map(\.id) == [0x20])
    }

    @Test func linearizesWithinABudget() {
        let text = A11yLinearizer.linearize(Self.tree, tokenBudget: 4000)
        let lines = text.split(separator: "\n")
        #expect(lines.first == Substring(A11yLinearizer.header))
        #expect(lines.contains("push button\tOK\t\t(10, 10)\t(50, 20)"))
        #expect(!text.contains("application"))
        let small = A11yLinearizer.linearize(Self.tree, tokenBudget: 40)
        #expect(A11yLinearizer.tokens(small) <= 40 + 20)
        #expect(small.contains("more elements not shown"))
    }

    @Test func nodeLabelsAndActionability() {
        var n = Self.node(9, 1, 2, "text", "", Rect(x: 0, y: 0, width: 10, height: 10))
        n.text = "typed"
        #expect(n.label == "typed")
        #expect(n.isActionable)
        #expect(!Self.node(9, 1, 2, "label", "Hi", Rect(x: 0, y: 0, width: 10, height: 10)).isActionable)
    }
}
