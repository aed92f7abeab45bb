import DeskCore
import Foundation
import Synchronization

/// Waits for the screen to settle after an action, instead of sleeping a fixed time.
///
/// With a damage watcher: wait until the watcher has seen no damage for ``SettleOptions/quietWindow``
/// (between the minimum and the maximum), then capture once and confirm with a tile diff against the frame
/// from before the action. Without one (no DAMAGE extension, or a test): capture every
/// ``SettleOptions/pollInterval`` until two captures in a row are identical. A blinking caret is not a change
/// (``BlinkFilter``): it neither keeps the screen from settling nor makes an action look like it did something.
public final class Settler: Sendable {
    public let screen: any ScreenSource
    public let watcher: (any ChangeWatcher)?
    public let codec: any FrameCodec
    public let options: SettleOptions
    /// Learns the carets that blink on this screen, across steps.
    private let blinks = Mutex(BlinkFilter())

    public init(screen: any ScreenSource, watcher: (any ChangeWatcher)?, codec: any FrameCodec,
                options: SettleOptions = .standard) {
        self.screen = screen
        self.watcher = watcher
        self.codec = codec
        self.options = options
    }

    /// Call right before acting, so damage from earlier does not count.
    public func arm() { watcher?.arm() }

    /// Waits for the screen to be quiet and returns it, with what changed since `before`.
    public func settle(after before: Frame) throws -> SettleResult {
        let start = Self.now()
        let damage: DamageSummary
        var frame: Frame
        if let watcher {
            damage = try watcher.waitForQuiet(quietWindow: options.quietWindow, minimum: options.minimum,
                                              maximum: options.maximum)
            frame = try screen.capture()
        } else {
            (frame, damage) = try pollUntilStable(start: start, minimum: options.minimum, maximum: options.maximum)
        }
        try StopFlag.current.check()
        let tiles = realChanges(before, frame)
        return SettleResult(frame: frame, changedTiles: tiles, damage: damage, seconds: Self.now() - start)
    }

    /// The `wait` action: waits up to `timeout` seconds for the screen to change, then for it to settle.
    public func waitForChange(after before: Frame, timeout: Double) throws -> SettleResult {
        let start = Self.now()
        if let watcher {
            // Damage right after arming can be the tail of the previous action; a change only counts if it
            // shows in the pixels, so keep waiting until it does or the time is up.
            while Self.now() - start < timeout {
                let remaining = timeout - (Self.now() - start)
                guard try watcher.waitForChange(timeout: remaining) else { break }
                let result = try settle(after: before)
                if result.changed {
                    return SettleResult(frame: result.frame, changedTiles: result.changedTiles,
                                        damage: result.damage, seconds: Self.now() - start)
                }
            }
            let frame = try screen.capture()
            return SettleResult(frame: frame, changedTiles: realChanges(before, frame),
                                damage: DamageSummary(events: 0, waited: Self.now() - start, quiet: true),
                                seconds: Self.now() - start)
        }
        while true {
            try StopFlag.current.check()
            let frame = try screen.capture()
            let tiles = realChanges(before, frame)
            if !tiles.isEmpty {
                let settled = try settle(after: before)
                return SettleResult(frame: settled.frame, changedTiles: settled.changedTiles, damage: settled.damage,
                                    seconds: Self.now() - start)
            }
            if Self.now() - start >= timeout {
                return SettleResult(frame: frame, changedTiles: [], damage: DamageSummary(events: 0, waited: timeout, quiet: true),
                                    seconds: Self.now() - start)
            }
            Self.sleep(min(options.pollInterval, max(0.001, timeout - (Self.now() - start))))
        }
    }

    private func pollUntilStable(start: Double, minimum: Double, maximum: Double) throws -> (Frame, DamageSummary) {
        Self.sleep(minimum)
        var previous = try screen.capture()
        var changes = 0
        while true {
            try StopFlag.current.check()
            if Self.now() - start >= maximum {
                return (previous, DamageSummary(events: changes, waited: Self.now() - start, quiet: false))
            }
            Self.sleep(options.pollInterval)
            let next = try screen.capture()
            if realChanges(previous, next).isEmpty {
                return (next, DamageSummary(events: changes, waited: Self.now() - start, quiet: true))
            }
            changes += 1
            previous = next
        }
    }

    /// The tiles that changed from `a` to `b`, none when only a caret blinked.
    func realChanges(_ a: Frame, _ b: Frame) -> [Rect] {
        let tiles = codec.changedTiles(a, b)
        guard !tiles.isEmpty else { return [] }
        return blinks.withLock { $0.realChanges(tiles, from: a, to: b) }
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double { MonotonicClock.now() }

    /// Sleeps `seconds` in short slices, returning early when a stop is requested. While the run is paused
    /// (``PauseFlag/current``) the time stands still: a 30 s wait paused after 10 s waits 20 s more once
    /// resumed. Returns the seconds spent paused, for callers whose own deadlines must move as much.
    @discardableResult
    static func sleep(_ seconds: Double) -> Double {
        let stop = StopFlag.current, pause = PauseFlag.current
        var end = now() + seconds
        var paused = 0.0
        while !stop.isRequested {
            if pause.isPaused {
                let since = now()
                _ = try? pause.waitWhilePaused(stop: stop)
                paused += now() - since
                end += now() - since
                continue
            }
            let left = end - now()
            if left <= 0 { break }
            usleep(useconds_t(min(left, 0.02) * 1_000_000))
        }
        return paused
    }
}
