/// Where a pointer step acts.
public enum Target: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Root-window pixels.
    case at(Point)
    /// A point relative to the top-left of the first window matching the matcher (its client area).
    case inWindow(WindowMatcher, at: Point)
    /// The centre of the best match of a template image (absolute path, resolved against the task file).
    case image(path: String)
    /// The centre of on-screen text: an accessible element of that name first, else OCR.
    case text(String)
    /// The centre of an element of the accessibility tree (role, name, states).
    case element(ElementQuery)

    public var description: String {
        switch self {
        case .at(let p): "\(p)"
        case .inWindow(let window, let p): "\(p) in window [\(window)]"
        case .image(let path): "image \(path)"
        case .text(let text): "text '\(text)'"
        case .element(let query): "\(query)"
        }
    }
}
