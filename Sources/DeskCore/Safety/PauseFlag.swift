import Foundation

/// A process-wide "a person has taken over, hold still" state: set by the user-input watcher, cleared by
/// `deskpilot resume` (or the daemon API), waited on before each action by ``PausingPerformer``.
///
/// Unlike ``StopFlag`` it is reversible, and it never unwinds anything by itself: a paused run keeps its
/// trace, its held keys and its place, and carries on from the next action once resumed. A stop request
/// ends a pause at once (with ``StoppedError``), so the kill hotkey and `deskpilot stop` work while paused.
///
/// A daemon job has a flag of its own (`PauseFlag.$scoped.withValue(…)`, as with ``StopFlag``), so pausing
/// one job never holds another; every reader asks ``current``.
// Unchecked because every mutable field is read and written only with `condition` held: a waiter sleeps on
// that condition until `resume()` broadcasts, which `Mutex` (no condition variable) cannot express.
public final class PauseFlag: @unchecked Sendable {
    public static let shared = PauseFlag()
    /// The flag of the job the current task runs, when one was set.
    @TaskLocal public static var scoped: PauseFlag?
    /// The flag that governs the caller: the current job's, else the process-wide ``shared`` one.
    public static var current: PauseFlag { scoped ?? shared }

    private let condition = NSCondition()
    private var reason: String?
    private var count = 0
    private var onHold: (@Sendable () -> Void)?
    private var heldPause = 0

    public init() {}

    /// Pauses, keeping the first reason until the next resume. Returns true when this call changed the
    /// state (so the caller says "paused" once, not at every mouse movement).
    @discardableResult
    public func pause(_ why: String) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard reason == nil else { return false }
        reason = why
        count += 1
        return true
    }

    /// Ends the pause; true when the run was paused.
    @discardableResult
    public func resume() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard reason != nil else { return false }
        reason = nil
        condition.broadcast()
        return true
    }

    /// Why the run is paused, or nil when it is not.
    public var pausedReason: String? {
        condition.lock()
        defer { condition.unlock() }
        return reason
    }

    public var isPaused: Bool { pausedReason != nil }

    /// How many times the run was paused so far (tests, and the trace summary).
    public var pauseCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return count
    }

    /// Runs `handler` on the waiting thread once per pause, when a wait first holds (a job releases its held
    /// keys there: input must come from the thread that owns it).
    public func setHoldHandler(_ handler: (@Sendable () -> Void)?) {
        condition.lock()
        onHold = handler
        condition.unlock()
    }

    /// Blocks while paused; returns true when it had to wait. Wakes every `poll` seconds to honour a stop
    /// request on `stop`, which ends the wait with ``StoppedError``.
    @discardableResult
    public func waitWhilePaused(stop: StopFlag = .shared, poll: Double = 0.05) throws(StoppedError) -> Bool {
        var waited = false
        condition.lock()
        defer { condition.unlock() }
        while reason != nil {
            if let why = stop.requested { throw StoppedError(reason: why) }
            if heldPause != count, let onHold {
                heldPause = count
                condition.unlock()
                onHold()
                condition.lock()
                continue
            }
            waited = true
            _ = condition.wait(until: Date(timeIntervalSinceNow: max(poll, 0.001)))
        }
        if let why = stop.requested { throw StoppedError(reason: why) }
        return waited
    }

    /// Clears the state (tests, and a daemon between jobs).
    public func reset() {
        condition.lock()
        reason = nil
        count = 0
        condition.broadcast()
        condition.unlock()
    }
}
