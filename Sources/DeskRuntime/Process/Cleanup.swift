import DeskCore
import DeskX11
import Foundation
import Synchronization

/// What must happen on every exit path: release held input, stop private servers and children.
///
/// Commands register undo actions as they acquire things. A SIGINT/SIGTERM sets the ``StopFlag`` so the
/// running work unwinds by itself (releasing keys on its way out); if it has not finished within a grace
/// period, the watchdog runs the registered actions and exits with status 130.
public final class Cleanup: Sendable {
    public static let shared = Cleanup()
    private struct State {
        var actions: [@Sendable () -> Void] = []
        var signalSources: [any DispatchSourceSignal] = []
        var exiting = false
        var watchdogGrace: Double?
    }
    private let state = Mutex(State())

    /// Gives the main path longer to unwind after a signal (a recorder writing its task after Ctrl-C).
    public func setWatchdogGrace(_ seconds: Double) {
        state.withLock { $0.watchdogGrace = seconds }
    }

    private var currentGrace: Double? {
        state.withLock { $0.watchdogGrace }
    }

    /// `action` may run on the signal watchdog's thread, hence `@Sendable`.
    public func register(_ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.actions.append(action) }
    }

    /// Runs every registered action once, newest first.
    public func runAll() {
        let list = state.withLock { state in
            defer { state.actions.removeAll() }
            return state.actions.reversed()
        }
        for action in list { action() }
        ChildRegistry.shared.terminateAll()
    }

    /// Runs the registered actions and exits with `status` — once: when the main path and the signal
    /// watchdog both get here, the second one waits for the first to end the process (two concurrent
    /// `exit` calls run the atexit handlers twice and can crash).
    public func exitProcess(_ status: Int32, message: String? = nil) -> Never {
        let first = state.withLock { state in
            defer { state.exiting = true }
            return !state.exiting
        }
        guard first else {
            while true { pause() }
        }
        runAll()
        if let message { FileHandle.standardError.write(Data(message.utf8)) }
        exit(status)
    }

    /// Routes SIGINT and SIGTERM to the stop flag, with a watchdog that forces the exit.
    public func installSignalHandlers(grace: Double = 2.0) {
        // The sources are made inside the lock: a non-Sendable source can only be kept in the state it was made in.
        state.withLock { state in
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler {
                    let name = sig == SIGINT ? "SIGINT" : (sig == SIGTERM ? "SIGTERM" : "SIGHUP")
                    StopFlag.shared.request("received \(name)")
                    DispatchQueue.global().asyncAfter(deadline: .now() + (Cleanup.shared.currentGrace ?? grace)) {
                        Cleanup.shared.exitProcess(ExitStatus.stopped.rawValue, message: "deskpilot: stopped (\(name))\n")
                    }
                }
                source.resume()
                state.signalSources.append(source)
            }
        }
    }
}
