import DeskCore
import DeskX11
import Foundation
import Synchronization

/// ``WindowLookup`` over the display's window list (EWMH when a window manager runs, the root's children
/// otherwise).
///
/// One policy check asks for the focused window and the window under each point of an action; the list is
/// read once and reused for 50 ms, so a check costs one walk of the window list instead of several.
public final class X11WindowLookup: WindowLookup, Sendable {
    public let display: X11Display
    private let cached = Mutex<(list: [WindowInfo], at: UInt64)?>(nil)
    private static let cacheNanoseconds: UInt64 = 50_000_000

    public init(display: X11Display) { self.display = display }

    private func list() -> [WindowInfo] {
        // Held while listing, so concurrent checks share one walk (the display's calls never come back here).
        cached.withLock { cached in
            let now = DispatchTime.now().uptimeNanoseconds
            if let cached, now - cached.at < Self.cacheNanoseconds { return cached.list }
            let fresh = display.windows()
            cached = (fresh, now)
            return fresh
        }
    }

    public func windows() -> [WindowSummary] { list().map(Self.summary) }

    /// The topmost window containing `point` (the list is bottom to top).
    public func window(at point: Point) -> WindowSummary? {
        list().last { $0.rect.contains(point) }.map(Self.summary)
    }

    public func focusedWindow() -> WindowSummary? {
        list().first { $0.focused }.map(Self.summary)
    }

    public func pointer() -> Point? { display.pointerPosition() }

    public func mouseKeysEnabled() -> Bool { display.mouseKeysEnabled }

    public func typedCharacter(of chord: KeyChord) -> Character? {
        guard let key = chord.key else { return nil }
        return display.typedCharacter(keysym: key.keysym, modifierKeysyms: chord.modifiers.map(\.keysym))
    }

    public func pasteContent(selection: String) -> PasteContent {
        switch SelectionReader.read(selection, displayName: display.name) {
        case .empty: .empty
        case .text(let text): .text(text)
        case .unknown: .unknown
        }
    }

    public static func summary(_ w: WindowInfo) -> WindowSummary {
        WindowSummary(id: w.id, instance: w.instance, className: w.className, title: w.title, rect: w.rect,
                      transientFor: w.transientFor)
    }
}
