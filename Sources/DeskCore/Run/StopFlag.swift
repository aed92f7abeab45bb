import Foundation

/// A process-wide "stop now" request: set by signal handlers, the kill hotkey or `deskpilot stop`, read by
/// every loop that can run long (typing, the agent loop, waits), which then unwind through their cleanup
/// (held keys released, keymap restored, trace closed) and end with exit status 130.
public final class StopFlag: @unchecked Sendable {
    public static let shared = StopFlag()
    private let lock = NSLock()
    private var reason: String?

    public init() {}

    /// Asks everything to stop; the first reason wins.
    public func request(_ why: String) {
        lock.lock()
        if reason == nil { reason = why }
        lock.unlock()
    }

    /// Why a stop was requested, or nil.
    public var requested: String? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }

    public var isRequested: Bool { requested != nil }

    /// Throws ``StoppedError`` when a stop was requested.
    public func check() throws(StoppedError) {
        if let r = requested { throw StoppedError(reason: r) }
    }

    /// Clears the request (tests, and a daemon between jobs).
    public func reset() {
        lock.lock()
        reason = nil
        lock.unlock()
    }
}

/// The run was stopped on request (exit status 130).
public struct StoppedError: DeskError {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { "stopped: \(reason)" }
    public var exitStatus: ExitStatus { .stopped }
}
