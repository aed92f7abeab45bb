/// What a `wait_for` setup item or step waits for.
public enum WaitCondition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A top-level window matching the matcher is mapped.
    case window(WindowMatcher)
    /// The screen has not changed for `quietSeconds`.
    case screenStable(quietSeconds: Double)
    /// The text appears on screen (text grounder).
    case text(String)
    /// An element of the accessibility tree matching the query is showing.
    case element(ElementQuery)

    public var description: String {
        switch self {
        case .window(let matcher): "window [\(matcher)]"
        case .screenStable(let quiet): "screen stable for \(quiet.formatted)s"
        case .text(let text): "text '\(text)' on screen"
        case .element(let query): "\(query) on screen"
        }
    }
}
