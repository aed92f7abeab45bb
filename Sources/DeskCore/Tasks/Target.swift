/// Where a pointer step acts.
public enum Target: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Root-window pixels.
    case at(Point)
    /// A point relative to the top-left of the first window matching the matcher (its client area).
    case inWindow(WindowMatcher, at: Point)
    /// The centre of the best match of a template image (absolute path, resolved against the task file).
    case image(path: String)
    /// The centre of on-screen text found by the text grounder (OCR).
    case text(String)

    public var description: String {
        switch self {
        case .at(let p): "\(p)"
        case .inWindow(let window, let p): "\(p) in window [\(window)]"
        case .image(let path): "image \(path)"
        case .text(let text): "text '\(text)'"
        }
    }
}
