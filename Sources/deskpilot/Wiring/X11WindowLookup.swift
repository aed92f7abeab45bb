import DeskCore
import DeskX11

/// ``WindowLookup`` over the display's window list (EWMH when a window manager runs, the root's children
/// otherwise).
final class X11WindowLookup: WindowLookup, @unchecked Sendable {
    let display: X11Display

    init(display: X11Display) { self.display = display }

    func windows() -> [WindowSummary] { display.windows().map(Self.summary) }

    func window(at point: Point) -> WindowSummary? {
        guard let id = display.topLevelWindow(at: point) else { return nil }
        return summary(id)
    }

    func focusedWindow() -> WindowSummary? {
        guard let id = display.focusedWindow() else { return nil }
        return summary(id)
    }

    func pointer() -> Point? { display.pointerPosition() }

    private func summary(_ id: UInt) -> WindowSummary? {
        if let known = display.windows().first(where: { $0.id == id }) { return Self.summary(known) }
        let (instance, className) = display.windowClass(id)
        guard let rect = try? display.windowGeometry(id) else { return nil }
        return WindowSummary(id: id, instance: instance, className: className, title: "", rect: rect)
    }

    static func summary(_ w: WindowInfo) -> WindowSummary {
        WindowSummary(id: w.id, instance: w.instance, className: w.className, title: w.title, rect: w.rect)
    }
}
