/// Roles as AT-SPI names them, and the aliases a task file or a model may use instead.
public enum A11yRole {
    /// Lower case, `_` and `-` as spaces, runs of spaces as one: `Push_Button` → `push button`.
    public static func normalized(_ role: String) -> String {
        let spaced = role.lowercased().map { $0 == "_" || $0 == "-" ? " " : $0 }
        return String(spaced).split(separator: " ").joined(separator: " ")
    }

    /// The AT-SPI roles a written role stands for. `button` matches push and toggle buttons; every other
    /// name matches itself, and the shorthands below their AT-SPI spellings.
    public static let aliases: [String: Set<String>] = [
        "button": ["push button", "toggle button", "button"],
        "checkbox": ["check box"],
        "check": ["check box", "check menu item"],
        "radio": ["radio button", "radio menu item"],
        "radiobutton": ["radio button"],
        "toggle": ["toggle button"],
        "textbox": ["entry", "text", "password text", "editbar"],
        "text field": ["entry", "text", "password text"],
        "textfield": ["entry", "text", "password text"],
        "edit": ["entry", "text", "password text"],
        "menuitem": ["menu item", "check menu item", "radio menu item", "tearoff menu item"],
        "menu item": ["menu item", "check menu item", "radio menu item", "tearoff menu item"],
        "tab": ["page tab"],
        "combobox": ["combo box"],
        "spinbutton": ["spin button"],
        "slider": ["slider", "scroll bar"],
        "link": ["link"],
        "window": ["frame", "dialog", "window", "alert", "file chooser"],
        "image": ["image", "icon"],
        "cell": ["table cell"],
        "heading": ["heading"],
    ]

    /// Whether a node of AT-SPI role `actual` satisfies the written role `wanted`.
    public static func matches(_ wanted: String, _ actual: String) -> Bool {
        let w = normalized(wanted), a = normalized(actual)
        if w == a { return true }
        if let set = aliases[w] { return set.contains(a) }
        // `pushbutton`, `checkbox` written without the space.
        return w.replacingOccurrences(of: " ", with: "") == a.replacingOccurrences(of: " ", with: "")
    }

    /// Roles people click or type into, for Set-of-Mark and the actionable filter.
    public static let actionableRoles: Set<String> = [
        "push button", "toggle button", "check box", "radio button", "menu item", "check menu item",
        "radio menu item", "menu", "combo box", "entry", "text", "password text", "spin button", "slider",
        "link", "page tab", "list item", "table cell", "tree item", "icon", "scroll bar", "button",
    ]

    /// The role of a field whose text is hidden as it is typed.
    public static let passwordText = "password text"

    /// Roles that are top-level windows of an application.
    public static let windowRoles: Set<String> = ["frame", "dialog", "window", "alert", "file chooser"]

    /// Roles whose text (not only their name) is worth reading: what a person typed or a program printed.
    public static let textRoles: Set<String> = [
        "text", "entry", "password text", "terminal", "paragraph", "document text", "editbar", "spin button",
        "document frame", "document web",
    ]
}
