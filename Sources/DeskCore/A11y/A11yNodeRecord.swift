/// One accessibility node as deskpilot prints and serves it (`tree --json`, the MCP `tree` tool): its
/// place in the tree, role, name, states, actions, text or value, box `{x, y, width, height}`, application,
/// and for a top-level window the X window's hex id.
public struct A11yNodeRecord: Sendable, Hashable, Codable {
    public var id: Int
    public var parent: Int?
    public var depth: Int
    public var role: String
    public var name: String
    public var description: String?
    public var states: [String]
    public var actions: [String]
    public var text: String?
    public var value: Double?
    public var box: Rect
    public var app: String
    /// The X window (hex id) of a top-level window.
    public var window: String?

    public init(_ n: A11yNode, window: WindowSummary?) {
        id = n.id
        parent = n.parent
        depth = n.depth
        role = n.role
        name = n.name
        description = n.description.isEmpty ? nil : n.description
        states = n.states
        actions = n.actions
        text = n.text
        value = n.value
        box = n.box
        app = n.app
        self.window = window?.hexID
    }

    /// Every node of `tree`, top-level windows matched to `xWindows` (bottom to top).
    public static func records(of tree: A11yTree, xWindows: [WindowSummary]) -> [A11yNodeRecord] {
        tree.nodes.map { A11yNodeRecord($0, window: $0.depth == 1 ? A11yTree.xWindow(for: $0, in: xWindows) : nil) }
    }
}
