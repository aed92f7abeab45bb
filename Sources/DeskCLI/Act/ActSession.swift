import ArgumentParser
import DeskCore
import DeskRuntime
import DeskX11
import Foundation

/// The display, injector and policy one `act` command uses, with cleanup registered for every exit path.
struct ActSession {
    let context: DisplayContext
    let injector: InputInjector
    let policy: ActPolicy

    /// Opens the display, loads the policy and the injector, and — for an action that lasts (`stoppable`:
    /// typing, a drag, repeated clicks or scrolls) — grabs the policy's kill hotkey for the command's duration
    /// (it stops there, exit 130). An instant action (a move, one key) skips the hotkey's connection and
    /// thread: it is over before anyone could press the chord, and Ctrl-C still stops it. Held input is
    /// released and the keymap restored on exit, also on SIGINT/SIGTERM (the stop flag unwinds the action,
    /// the cleanup runs after it).
    static func open(_ options: DisplayOptions, policy policyOptions: ActPolicyOptions,
                     input: InputOptions = .init(), stoppable: Bool = false) throws -> ActSession {
        let context = try options.open()
        let policy = try ActPolicy.load(policyOptions, display: context.display)
        // Quietly without a hotkey when another client (a running deskpilot) holds the chord: that run's
        // hotkey still works, and Ctrl-C always does.
        if stoppable {
            let chord = policy.gate.policy.killSwitch
            let requestStop = KillHotkey.requestStop(chord)
            // SIGTERM too: its watchdog forces exit 130 should the action be blocked where no stop check reaches.
            if let hotkey = try? KillHotkey(displayName: context.display.name, chord: chord,
                                            onPress: { requestStop(); kill(getpid(), SIGTERM) }) {
                Cleanup.shared.register { hotkey.stop() }
            }
        }
        // Opening the injector undoes what a killed deskpilot left on the display (its runtime journal) and
        // adopts keys an earlier `act press` keeps down, which are judged again here.
        let injector = try InputInjector(display: context.display, options: input)
        Cleanup.shared.register { injector.finish() }
        policy.rejudgeKept(injector)
        return ActSession(context: context, injector: injector, policy: policy)
    }

    /// Throws (exit 4) unless the policy lets `action` run; first lets go of kept keys the action would
    /// carry into a refused context (the pointer or focus moving, a modifier added).
    func permit(_ action: ScreenAction) throws {
        policy.rejudgeKept(injector, before: action)
        try policy.permit(action)
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
