import DeskCore

/// The screen after an action settled, and what changed.
public struct SettleResult: Sendable {
    /// The settled screen: the next observation, so it need not be captured again.
    public var frame: Frame
    /// Tiles (frame-local) that differ from the frame before the action.
    public var changedTiles: [Rect]
    /// What the damage watcher saw (zero events and `quiet` when none is used).
    public var damage: DamageSummary
    /// Seconds spent settling, the final capture and diff included.
    public var seconds: Double

    public init(frame: Frame, changedTiles: [Rect], damage: DamageSummary, seconds: Double) {
        self.frame = frame
        self.changedTiles = changedTiles
        self.damage = damage
        self.seconds = seconds
    }

    /// True when any pixel changed: damage alone does not count, since X reports repaints of identical pixels.
    public var changed: Bool { !changedTiles.isEmpty }
}
