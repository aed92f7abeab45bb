import DeskCore

/// A wait cut short by the run's `max_duration`: the run ends as not succeeded (exit 1), like any limit.
struct RunTimeLimit: DeskError {
    let seconds: Double

    init(policy: Policy) {
        seconds = policy.limits.maxDuration ?? 0
    }

    var reason: String { "the run reached its time limit of \(seconds.formatted) seconds (max_duration)" }
    var description: String { reason }
    var exitStatus: ExitStatus { .failure }
}
