import Dispatch

/// Seconds on a monotonic clock, shared by the loop, the runner and the policy engine's context.
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point (boot); never jumps with wall-clock changes.
    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
