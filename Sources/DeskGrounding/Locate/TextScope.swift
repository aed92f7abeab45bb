import DeskCore

/// Where on the screen a query may match (`--within`).
public enum TextScope: Sendable, Hashable, CustomStringConvertible {
    /// Windows whose id (`0x3a00007` or decimal), WM_CLASS class or instance (exactly, ignoring case), or
    /// title (a part of it, ignoring case) is this.
    case window(String)
    /// A rectangle in root-window pixels.
    case region(Rect)

    /// `X,Y,W,H` is a region; anything else names a window.
    public init(parsing text: String) {
        if let rect = Rect(parsing: text) { self = .region(rect) } else { self = .window(text) }
    }

    public var description: String {
        switch self {
        case .window(let name): "window '\(name)'"
        case .region(let r): "region \(r.x),\(r.y),\(r.width),\(r.height)"
        }
    }

    /// The windows `name` selects, in the order given (bottom to top).
    static func windows(named name: String, in windows: [WindowBox]) -> [WindowBox] {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let id = Self.windowID(trimmed) {
            let byID = windows.filter { $0.id == id }
            if !byID.isEmpty { return byID }
        }
        let byClass = windows.filter { $0.hasClass(trimmed) }
        if !byClass.isEmpty { return byClass }
        let needle = trimmed.lowercased()
        return windows.filter { !needle.isEmpty && $0.title.lowercased().contains(needle) }
    }

    /// A window id written in hex (`0x…`) or decimal.
    static func windowID(_ text: String) -> UInt? {
        let lower = text.lowercased()
        if lower.hasPrefix("0x") { return UInt(lower.dropFirst(2), radix: 16) }
        return text.allSatisfy(\.isNumber) ? UInt(text) : nil
    }
}
