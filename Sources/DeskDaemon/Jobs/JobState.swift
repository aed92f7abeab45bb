/// Where a job is in its life. The last three are final.
public enum JobState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued
    case running
    /// Paused at a safe point (between actions), keys released, until resumed or stopped.
    case paused
    /// A policy confirmation gate waits for `POST /jobs/{id}/confirm`.
    case awaitingConfirmation = "awaiting_confirmation"
    /// The model asked for a person (`call_user`); waits for `POST /jobs/{id}/reply`.
    case awaitingUser = "awaiting_user"
    case succeeded
    case failed
    case stopped

    /// True once the job has ended.
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .stopped }
}
