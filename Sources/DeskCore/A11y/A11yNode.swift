/// One element of an accessibility tree, as the AT-SPI bus described it when the tree was read.
///
/// Pure data: ``A11yTree`` holds the nodes in walk order (a parent before its children), and `id` is the
/// node's index there, so ids are stable only within one tree.
public struct A11yNode: Sendable, Hashable, Codable {
    /// Index in ``A11yTree/nodes``.
    public var id: Int
    /// The parent's id; nil for an application.
    public var parent: Int?
    /// 0 for an application, 1 for its top-level windows, and so on.
    public var depth: Int
    /// The role as AT-SPI spells it: `push button`, `toggle button`, `check box`, `frame`, `text`.
    public var role: String
    /// The accessible name (a button's label, a window's title); may be empty.
    public var name: String
    /// The accessible description (a tooltip); may be empty.
    public var description: String
    /// State names as AT-SPI spells them (`showing`, `visible`, `enabled`, `focused`, `checked`…), sorted.
    public var states: [String]
    /// The names of the actions the element offers (`click`, `press`, `activate`).
    public var actions: [String]
    /// The text of a text widget (entries, text views, terminals), when it has one.
    public var text: String?
    /// The current value of a value widget (sliders, spin buttons, progress bars).
    public var value: Double?
    /// Bounds in root-window pixels (AT-SPI screen coordinates).
    public var box: Rect
    /// The application's name (its AT-SPI name, usually the program name).
    public var app: String
    /// The id of the top-level window the node is in (its own id for a window); nil for an application.
    public var window: Int?

    public init(id: Int, parent: Int?, depth: Int, role: String, name: String, description: String = "",
                states: [String] = [], actions: [String] = [], text: String? = nil, value: Double? = nil,
                box: Rect, app: String, window: Int? = nil) {
        self.id = id
        self.parent = parent
        self.depth = depth
        self.role = role
        self.name = name
        self.description = description
        self.states = states
        self.actions = actions
        self.text = text
        self.value = value
        self.box = box
        self.app = app
        self.window = window
    }

    /// Whether the node has the state (`checked`, `focused`…), as AT-SPI spells it.
    public func has(_ state: String) -> Bool { states.contains(A11yStates.normalized(state)) }

    /// What a person would call the element: its name, else its text, else its description.
    public var label: String {
        if !name.isEmpty { return name }
        if let text, !text.isEmpty { return text }
        return description
    }

    /// Whether a pointer can act on it: a role people click or type into, an action, or a focusable state.
    public var isActionable: Bool {
        A11yRole.actionableRoles.contains(role) || !actions.isEmpty || has(A11yStates.focusable)
            || has(A11yStates.editable)
    }
}
