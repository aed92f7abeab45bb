import DeskCore
import DeskX11

/// ``ActionPerformer`` over the XTest injector.
public final class X11InputPerformer: ActionPerformer, Sendable {
    public let injector: InputInjector

    public init(display: X11Display) throws { injector = try InputInjector(display: display) }

    public func perform(_ action: ScreenAction) throws { try injector.perform(action) }

    public func focus(window: UInt) throws { try injector.focus(window) }

    public var keptKeyNames: [String] { injector.keptKeys.map(\.name) }

    public func releaseAll() {
        injector.releaseAll()
        injector.restoreKeymap()
    }
}
