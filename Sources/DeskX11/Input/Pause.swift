import DeskCore
import Foundation

/// Monotonic time and sleeps for input pacing.
enum Pause {
    /// Seconds on a monotonic clock (not wall time: pacing must survive clock changes).
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Sleeps `seconds`; long sleeps wake every 20 ms to honour a stop request (``StopFlag``).
    static func sleep(_ seconds: Double, interruptible: Bool = true) throws {
        guard seconds > 0 else { return }
        let end = now() + seconds
        while true {
            if interruptible { try StopFlag.current.check() }
            let left = end - now()
            if left <= 0 { return }
            usleep(useconds_t(min(left, 0.02) * 1e6))
        }
    }

    /// Sleeps until the monotonic time `deadline` (no stop check: used before restoring state, which must
    /// happen even while stopping).
    static func until(_ deadline: Double) {
        let left = deadline - now()
        if left > 0 { usleep(useconds_t(left * 1e6)) }
    }
}
