import DeskAgent
import DeskCore
import Foundation

/// Puts a standalone run (`deskpilot run`, `deskpilot agent`) in the run registry for as long as the process
/// lives, so that `deskpilot stop` on its display finds it and sends it SIGTERM.
public enum RunRegistrationScope {
    /// Registers this process; the entry is removed on every exit path that runs the cleanup (normal end,
    /// error, SIGINT/SIGTERM). A registry that cannot be written only costs `stop` its reach: a warning.
    public static func register(kind: RunRegistration.Kind, display: String, summary: String) {
        let text = summary.count > 120 ? String(summary.prefix(117)) + "…" : summary
        do {
            let token = try RunRegistry.current().register(RunRegistration(pid: getpid(), display: display, kind: kind,
                                                                           summary: text))
            Cleanup.shared.register { token.remove() }
        } catch {
            FileHandle.standardError.write(Data("deskpilot: \(error); 'deskpilot stop' will not find this run\n".utf8))
        }
    }
}
