import DeskCore
import DeskX11

/// ``ChangeWatcher`` over DAMAGE on a second connection; the settle logic confirms with a tile diff.
final class DamageChangeWatcher: ChangeWatcher, @unchecked Sendable {
    let watcher: DamageWatcher

    init(displayName: String) throws { watcher = try DamageWatcher(displayName: displayName) }

    func arm() { watcher.arm() }

    func waitForQuiet(quietWindow: Double, minimum: Double, maximum: Double) throws -> DamageSummary {
        try watcher.waitForQuiet(quietWindow: quietWindow, minimum: minimum, maximum: maximum)
    }

    func waitForChange(timeout: Double) throws -> Bool { try watcher.waitForChange(timeout: timeout) }
}
