import ArgumentParser
import DeskCore
import DeskX11
import Foundation

/// The display and injector one `act` command uses, with cleanup registered for every exit path.
struct ActSession {
    let context: DisplayContext
    let injector: InputInjector

    /// Opens the display and the injector; held input is released and the keymap restored on exit, also on
    /// SIGINT/SIGTERM (the stop flag unwinds the action, the cleanup runs after it).
    static func open(_ options: DisplayOptions, input: InputOptions = .init()) throws -> ActSession {
        let context = try options.open()
        let injector = try InputInjector(display: context.display, options: input)
        Cleanup.shared.register {
            injector.releaseAll()
            injector.restoreKeymap()
        }
        return ActSession(context: context, injector: injector)
    }
}

/// Parses `X,Y` (for `--at`).
struct PointArgument: ExpressibleByArgument {
    let point: Point

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let x = Int(parts[0]), let y = Int(parts[1]) else { return nil }
        point = Point(x: x, y: y)
    }
}

/// A duration option (`20ms`, `1s`).
struct DurationArgument: ExpressibleByArgument {
    let seconds: Double

    init?(argument: String) {
        guard let s = DurationText.seconds(argument) else { return nil }
        seconds = s
    }
}

extension MouseButton: ExpressibleByArgument {}
extension ScrollDirection: ExpressibleByArgument {}
extension TypingMethod: ExpressibleByArgument {}
extension PasteSelection: ExpressibleByArgument {}
