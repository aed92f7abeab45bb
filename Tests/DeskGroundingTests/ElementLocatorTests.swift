import DeskCore
import Testing
import DeskTestSupport
@testable import DeskGrounding

@Suite("Element locator", .ownThread)
struct ElementLocatorTests {
    static func node(_ id: Int, _ parent: Int?, _ depth: Int, _ role: String, _ name: String, _ box: Rect,
                     window: Int? = 1, states: [String] = ["showing", "visible", "enabled", "focusable"],
                     actions: [String] = []) -> A11yNode {
        A11yNode(id: id, parent: parent, depth: depth, role: role, name: name, states: states, actions: actions, box: box,
                 app: "app", window: window)
    }

    static let tree = A11yTree(nodes: [
        node(0, nil, 0, "application", "app", Rect(x: 0, y: 0, width: 0, height: 0), window: nil),
        node(1, 0, 1, "frame", "Main", Rect(x: 0, y: 0, width: 600, height: 400)),
        node(2, 1, 2, "push button", "Save", Rect(x: 10, y: 10, width: 60, height: 20), actions: ["click"]),
        node(3, 1, 2, "push button", "Save As…", Rect(x: 80, y: 10, width: 80, height: 20), actions: ["click"]),
        node(4, 1, 2, "push button", "save", Rect(x: 10, y: 100, width: 60, height: 20), actions: ["click"]),
        node(5, 1, 2, "toggle button", "=", Rect(x: 200, y: 200, width: 40, height: 40), actions: ["click"]),
        node(6, 5, 3, "label", "=", Rect(x: 205, y: 205, width: 30, height: 30), states: ["showing", "visible"]),
        node(7, 1, 2, "check box", "Remember", Rect(x: 10, y: 300, width: 80, height: 20), states: ["showing", "visible", "checked"]),
        node(8, 1, 2, "label", "Total", Rect(x: 300, y: 300, width: 40, height: 20), states: ["showing", "visible"]),
        node(9, 1, 2, "push button", "Save", Rect(x: 350, y: 300, width: 60, height: 20), actions: ["click"]),
    ])
    static let windows = [WindowSummary(id: 1, instance: "main", className: "Main", title: "Main", rect: Rect(x: 0, y: 0, width: 600, height: 400))]
    static let screen = Rect(x: 0, y: 0, width: 1280, height: 800)

    static func find(_ q: ElementQuery, windows: [WindowSummary] = windows) throws -> [FoundElement] {
        try ElementLocator.locate(q, in: tree, windows: windows, screen: screen)
    }

    @Test func exactBeforeFoldedBeforeFuzzy() throws {
        #expect(try Self.find(ElementQuery(name: "Save")).map(\.node.id) == [2, 9])
        #expect(try Self.find(ElementQuery(name: "SAVE")).map(\.node.id).sorted() == [2, 4, 9])
        #expect(try Self.find(ElementQuery(name: "Remembr")).map(\.node.id) == [7])
        #expect(try Self.find(ElementQuery(name: "Save As")).map(\.node.id) == [3])
        #expect(try Self.find(ElementQuery(name: "Sav")).isEmpty)
    }

    @Test func rolesStatesNthNearWithin() throws {
        #expect(try Self.find(ElementQuery(role: "button", name: "=")).map(\.node.id) == [5])
        #expect(try Self.find(ElementQuery(role: "label", name: "=")).map(\.node.id) == [6])
        #expect(try Self.find(ElementQuery(name: "=")).map(\.node.id) == [5], "the button, not its label")
        #expect(try Self.find(ElementQuery(role: "checkbox", states: ["checked"])).map(\.node.id) == [7])
        #expect(try Self.find(ElementQuery(role: "checkbox", states: ["focused"])).isEmpty)
        #expect(try Self.find(ElementQuery(name: "Save", nth: 2)).map(\.node.id) == [9])
        #expect(try Self.find(ElementQuery(name: "Save", near: "Total")).first?.node.id == 9)
        #expect(try Self.find(ElementQuery(name: "Save", within: "0,250,600,150")).map(\.node.id) == [9])
        #expect(throws: LocateFailure.self) { try Self.find(ElementQuery(name: "Save", within: "NoSuchWindow")) }
    }

    @Test func hiddenBehindAnotherWindowIsNoMatch() throws {
        let cover = WindowSummary(id: 2, instance: "top", className: "Top", title: "Top", rect: Rect(x: 0, y: 0, width: 100, height: 50))
        #expect(try Self.find(ElementQuery(name: "Save"), windows: Self.windows + [cover]).map(\.node.id) == [9])
    }
}
