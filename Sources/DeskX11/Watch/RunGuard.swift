import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The run-time safety watchers of one run, started together and stopped together: the kill hotkey
/// (``KillHotkey`` → ``StopFlag``) and, when the policy asks for it, the person-takes-over watch
/// (``UserInputWatcher`` → ``PauseFlag``). It also routes SIGUSR1 to ``PauseFlag/resume()``: that is how
/// `deskpilot resume` continues a standalone run.
///
/// A watcher that cannot start does not stop the run — Ctrl-C, SIGTERM and `deskpilot stop` still work —
/// but the reason is returned in ``warnings`` for the caller to print.
public final class RunGuard: Sendable {
    public let hotkey: KillHotkey?
    public let watcher: UserInputWatcher?
    /// Why a watcher is missing, one sentence each.
    public let warnings: [String]
    /// Kept so the SIGUSR1 handler lives as long as the guard; never touched again (the Mutex only makes the
    /// non-Sendable source storable in a Sendable class).
    private let resumeSource: Mutex<(any DispatchSourceSignal)?>

    /// Starts the watchers on `displayName`.
    ///
    /// - Parameters:
    ///   - killSwitch: the policy's `kill_switch`.
    ///   - pauseOnUserInput: the policy's `pause_on_user_input`, already turned off for private headless
    ///     displays (no person can reach them).
    ///   - onKill: called after the hotkey set ``StopFlag`` — the executable raises SIGTERM here, so its
    ///     signal path's watchdog forces the exit (130) even when the run is blocked where no stop check
    ///     reaches (a terminal prompt); a daemon leaves it empty.
    ///   - say: prints one line for a person (paused, resumed).
    public init(displayName: String, killSwitch: KeyChord, pauseOnUserInput: Bool,
                onKill: @escaping @Sendable () -> Void = {}, say: @escaping @Sendable (String) -> Void) {
        var warnings: [String] = []
        let requestStop = KillHotkey.requestStop(killSwitch)
        do {
            hotkey = try KillHotkey(displayName: displayName, chord: killSwitch, onPress: {
                requestStop()
                onKill()
            })
        } catch {
            hotkey = nil
            warnings.append("no kill hotkey: \(error)")
        }
        let stopHint = hotkey != nil ? "`deskpilot stop` or \(killSwitch.normalized)" : "`deskpilot stop` or Ctrl-C"
        if pauseOnUserInput {
            do {
                watcher = try UserInputWatcher(displayName: displayName) { device in
                    if PauseFlag.shared.pause("a person is using \(device)") {
                        say("paused: a person is using \(device); `deskpilot resume` continues, \(stopHint) ends the run")
                    }
                }
            } catch {
                watcher = nil
                warnings.append("the run will not pause for a person using the desktop: \(error)")
            }
        } else {
            watcher = nil
        }
        // SIGUSR1 would end the process by default; routed here it only resumes.
        signal(SIGUSR1, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        source.setEventHandler {
            if PauseFlag.shared.resume() { say("resumed") }
        }
        source.resume()
        resumeSource = Mutex(source)
        self.warnings = warnings
    }

    /// Stops the watchers and releases the hotkey grab. Safe to call more than once.
    public func stop() {
        hotkey?.stop()
        watcher?.stop()
    }
}
