import DeskCore

/// Where on the screen a query may match (`--within`).
public enum TextScope: Sendable, Hashable, CustomStringConvertible {
    /// Windows whose id (`0x3a00007` or decimal), WM_CLASS class or instance (exactly, ignoring case), or
    /// title (a part of it, ignoring case) is this; `class:NAME` and `title:REGEX` (the window selectors of
    /// `act focus` and `windows`) select by class only and by a title pattern only.
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

    /// The area to search: the region, or the bounding box of the windows the name selects.
    /// - Throws: ``LocateFailure`` when no window matches.
    public func area(windows: [WindowBox]) throws -> Rect {
        switch self {
        case .region(let r):
            return r
        case .window(let name):
            let chosen = Self.windows(named: name, in: windows)
            guard !chosen.isEmpty else {
                throw LocateFailure("no window matches '\(name)'",
                                    closest: windows.suffix(5).map { "\($0.className) \($0.title)" })
            }
            return OCRLine.union(chosen.map(\.rect))
        }
    }

    /// Whether `point` is in scope: inside the region, or on a chosen window where no other window covers it.
    public func contains(_ point: Point, windows: [WindowBox]) -> Bool {
        switch self {
        case .region(let r):
            return r.contains(point)
        case .window(let name):
            guard let top = windows.last(where: { $0.rect.contains(point) }) else { return false }
            return Self.windows(named: name, in: windows).contains { $0.id == top.id }
        }
    }

    /// The windows `name` selects, in the order given (bottom to top).
    static func windows(named name: String, in windows: [WindowBox]) -> [WindowBox] {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if lower.hasPrefix("class:") {
            let className = String(trimmed.dropFirst(6)).trimmingCharacters(in: .whitespaces)
            return windows.filter { !className.isEmpty && $0.hasClass(className) }
        }
        if lower.hasPrefix("title:") {
            let pattern = String(trimmed.dropFirst(6))
            guard let regex = try? Regex(pattern).ignoresCase() else {
                let needle = pattern.lowercased()
                return windows.filter { $0.title.lowercased().contains(needle) }
            }
            return windows.filter { $0.title.contains(regex) }
        }
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
