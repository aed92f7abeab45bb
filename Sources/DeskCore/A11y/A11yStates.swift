/// AT-SPI state names as deskpilot prints and matches them (lower case, words separated by spaces).
public enum A11yStates {
    public static let showing = "showing"
    public static let visible = "visible"
    public static let enabled = "enabled"
    public static let sensitive = "sensitive"
    public static let focused = "focused"
    public static let focusable = "focusable"
    public static let checked = "checked"
    public static let selected = "selected"
    public static let editable = "editable"
    public static let pressed = "pressed"
    public static let expanded = "expanded"
    public static let active = "active"

    /// Every state name AT-SPI defines, as ``A11yNode/states`` spells them.
    public static let known: Set<String> = [
        "active", "armed", "busy", "checked", "collapsed", "defunct", "editable", "enabled", "expandable",
        "expanded", "focusable", "focused", "has tooltip", "horizontal", "iconified", "modal", "multi line",
        "multiselectable", "opaque", "pressed", "resizable", "selectable", "selected", "sensitive", "showing",
        "single line", "stale", "transient", "vertical", "visible", "manages descendants", "indeterminate",
        "required", "truncated", "animated", "invalid entry", "supports autocompletion", "selectable text",
        "is default", "visited", "checkable", "has popup", "read only",
    ]

    /// `CHECKED`, `Checked`, `multi_line` → `checked`, `multi line`: the spelling ``A11yNode/states`` uses.
    public static func normalized(_ state: String) -> String {
        A11yRole.normalized(state)
    }
}
