import DeskCore
import Foundation

/// Names a window the way `act focus` and task files do: an id (`0x3a00007` or decimal), `class:NAME`
/// (WM_CLASS instance or class, case-insensitive), or `title:REGEX` (case-insensitive, anywhere in the title).
public enum WindowSelector: Sendable, Hashable, CustomStringConvertible {
    case id(UInt)
    case className(String)
    case title(String)
    /// The dialogs (`WM_TRANSIENT_FOR`) of the windows the inner selector matches: `dialog:class:Mousepad`.
    indirect case dialog(of: WindowSelector)

    /// Parses a selector; an input error (exit 2) says what forms are accepted.
    public static func parse(_ text: String) throws -> WindowSelector {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("dialog:") {
            let inner = String(trimmed.dropFirst(7))
            guard !inner.isEmpty else {
                throw InputError("window selector '\(text)': dialog: needs the parent window's selector (dialog:class:Mousepad)")
            }
            return .dialog(of: try parse(inner))
        }
        if trimmed.lowercased().hasPrefix("class:") {
            let name = String(trimmed.dropFirst(6))
            guard !name.isEmpty else { throw InputError("window selector '\(text)': class: needs a name (class:Firefox)") }
            return .className(name)
        }
        if trimmed.lowercased().hasPrefix("title:") {
            let pattern = String(trimmed.dropFirst(6))
            do {
                _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            } catch {
                throw InputError("window selector '\(text)': '\(pattern)' is not a valid regular expression")
            }
            return .title(pattern)
        }
        if let id = WindowInfo.parseID(trimmed), id != 0 { return .id(id) }
        throw InputError("window selector '\(text)' is not a window id (0x3a00007 or decimal), class:NAME, title:REGEX or dialog:SELECTOR")
    }

    public var description: String {
        switch self {
        case .id(let id): "0x" + String(id, radix: 16)
        case .className(let name): "class:\(name)"
        case .title(let pattern): "title:\(pattern)"
        case .dialog(let parent): "dialog:\(parent)"
        }
    }

    /// The matching top-level windows, topmost first.
    public func matches(in windows: [WindowInfo]) -> [WindowInfo] {
        let topFirst = windows.reversed()
        switch self {
        case .id(let id):
            return topFirst.filter { $0.id == id }
        case .className(let name):
            return topFirst.filter {
                $0.instance.caseInsensitiveCompare(name) == .orderedSame || $0.className.caseInsensitiveCompare(name) == .orderedSame
            }
        case .dialog(let parent):
            let parents = Set(parent.matches(in: windows).map(\.id))
            return topFirst.filter { $0.transientFor.map(parents.contains) ?? false }
        case .title(let pattern):
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return [] }
            return topFirst.filter {
                regex.firstMatch(in: $0.title, range: NSRange($0.title.startIndex..., in: $0.title)) != nil
            }
        }
    }

    /// The topmost matching window on `display`; an id is taken as given even if it is not a top-level window.
    public func resolve(on display: X11Display) throws -> UInt {
        if case .id(let id) = self { return id }
        guard let first = matches(in: display.windows()).first else {
            throw InputError("no window matches '\(description)' on display \(display.name)")
        }
        return first.id
    }
}
