import Foundation
import Synchronization

/// A process-wide "stop now" request: set by signal handlers, the kill hotkey or `deskpilot stop`, read by
/// every loop that can run long (typing, the agent loop, waits), which then unwind through their cleanup
/// (held keys released, keymap restored, trace closed) and end with exit status 130.
///
/// A daemon runs several jobs at once, each of which must stop alone: it runs each job inside
/// `StopFlag.$scoped.withValue(StopFlag(parent: .shared)) { … }`, and every reader asks ``current``, which is
/// that job's flag inside the job (also in synchronous code the job's task calls, on whatever thread it runs)
/// and ``shared`` everywhere else. A task-local value does not flow into a `Thread` or a `DispatchQueue`
/// block a job starts: code there must be handed the flag.
public final class StopFlag: Sendable {
    public static let shared = StopFlag()
    /// The flag of the job the current task runs, when one was set (see the type's discussion).
    @TaskLocal public static var scoped: StopFlag?
    /// The flag that governs the caller: the current job's, else the process-wide ``shared`` one.
    public static var current: StopFlag { scoped ?? shared }

    private let reason = Mutex<String?>(nil)
    /// A stop of the parent (SIGTERM, the daemon shutting down) stops this flag's work too.
    public let parent: StopFlag?

    public init(parent: StopFlag? = nil) {
        self.parent = parent
    }

    /// Asks everything to stop; the first reason wins.
    public func request(_ why: String) {
        reason.withLock { if $0 == nil { $0 = why } }
    }

    /// Why a stop was requested, or nil.
    public var requested: String? {
        reason.withLock { $0 } ?? parent?.requested
    }

    public var isRequested: Bool { requested != nil }

    /// Throws ``StoppedError`` when a stop was requested.
    public func check() throws(StoppedError) {
        if let r = requested { throw StoppedError(reason: r) }
    }

    /// Clears this flag's own request, not its parent's (tests, and a daemon between jobs).
    public func reset() {
        reason.withLock { $0 = nil }
    }
}

/// The run was stopped on request (exit status 130).
public struct StoppedError: DeskError {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "stopped: \(reason)" }
    public var exitStatus: ExitStatus { .stopped }
}
