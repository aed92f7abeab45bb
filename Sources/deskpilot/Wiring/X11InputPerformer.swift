import DeskCore
import DeskX11

/// ``ActionPerformer`` over the XTest injector.
final class X11InputPerformer: ActionPerformer, @unchecked Sendable {
    let injector: InputInjector

    init(display: X11Display) throws { injector = try InputInjector(display: display) }

    func perform(_ action: ScreenAction) throws { try injector.perform(action) }

    func focus(window: UInt) throws { try injector.focus(window) }

    func releaseAll() {
        injector.releaseAll()
        injector.restoreKeymap()
    }
}
