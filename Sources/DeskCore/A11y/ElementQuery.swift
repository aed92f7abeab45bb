/// An element of the accessibility tree, by role and name: `click: {element: {role: button, name: "="}}`,
/// `deskpilot locate --role button --name =`.
public struct ElementQuery: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The role as AT-SPI spells it, or an alias (``A11yRole/aliases``); nil for any role.
    public var role: String?
    /// The accessible name: exact first, then ignoring case, then tolerating small differences; nil for any.
    public var name: String?
    /// States that must all hold (`checked`, `focused`, `enabled`…).
    public var states: [String]
    /// The n-th match (1-based) in reading order.
    public var nth: Int?
    /// Only inside this window (id, WM_CLASS or part of the title) or region (`X,Y,W,H`).
    public var within: String?
    /// Prefer the match nearest to the element (or, failing that, the text) with this name.
    public var near: String?

    public init(role: String? = nil, name: String? = nil, states: [String] = [], nth: Int? = nil,
                within: String? = nil, near: String? = nil) {
        self.role = role
        self.name = name
        self.states = states
        self.nth = nth
        self.within = within
        self.near = near
    }

    public var description: String {
        var parts: [String] = []
        if let role { parts.append("role '\(role)'") }
        if let name { parts.append("name '\(name)'") }
        if !states.isEmpty { parts.append("states [\(states.joined(separator: ", "))]") }
        if let nth { parts.append("#\(nth)") }
        if let within { parts.append("within '\(within)'") }
        if let near { parts.append("near '\(near)'") }
        return "element " + (parts.isEmpty ? "(any)" : parts.joined(separator: " "))
    }
}
