import DeskCore
import DeskX11
import Foundation

/// What must happen on every exit path: release held input, stop private servers and children.
///
/// Commands register undo actions as they acquire things. A SIGINT/SIGTERM sets the ``StopFlag`` so the
/// running work unwinds by itself (releasing keys on its way out); if it has not finished within a grace
/// period, the watchdog runs the registered actions and exits with status 130.
final class Cleanup: @unchecked Sendable {
    static let shared = Cleanup()
    private let lock = NSLock()
    private var actions: [() -> Void] = []
    private var signalSources: [any DispatchSourceSignal] = []

    func register(_ action: @escaping () -> Void) {
        lock.lock()
        actions.append(action)
        lock.unlock()
    }

    /// Runs every registered action once, newest first.
    func runAll() {
        lock.lock()
        let list = actions.reversed()
        actions.removeAll()
        lock.unlock()
        for action in list { action() }
        ChildRegistry.shared.terminateAll()
    }

    /// Routes SIGINT and SIGTERM to the stop flag, with a watchdog that forces the exit.
    func installSignalHandlers(grace: Double = 2.0) {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                let name = sig == SIGINT ? "SIGINT" : (sig == SIGTERM ? "SIGTERM" : "SIGHUP")
                StopFlag.shared.request("received \(name)")
                DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
                    Cleanup.shared.runAll()
                    FileHandle.standardError.write(Data("deskpilot: stopped (\(name))\n".utf8))
                    exit(ExitStatus.stopped.rawValue)
                }
            }
            source.resume()
            signalSources.append(source)
        }
    }
}
