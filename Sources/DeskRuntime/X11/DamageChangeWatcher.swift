import DeskCore
import DeskX11

/// ``ChangeWatcher`` over DAMAGE on a second connection; the settle logic confirms with a tile diff.
public final class DamageChangeWatcher: ChangeWatcher, Sendable {
    public let watcher: DamageWatcher

    public init(displayName: String) throws { watcher = try DamageWatcher(displayName: displayName) }

    public func arm() { watcher.arm() }

    public func waitForQuiet(quietWindow: Double, minimum: Double, maximum: Double) throws -> DamageSummary {
        try watcher.waitForQuiet(quietWindow: quietWindow, minimum: minimum, maximum: maximum)
    }

    public func waitForChange(timeout: Double) throws -> Bool { try watcher.waitForChange(timeout: timeout) }
}
