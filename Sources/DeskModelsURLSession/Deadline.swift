import DeskModels
import Foundation
import Synchronization

/// Runs an operation with a wall-clock deadline that holds even when the operation ignores
/// cancellation (FoundationNetworking's `URLSession` on Linux turns sub-second `timeoutInterval`s into
/// an immediate timeout, so the transport keeps time itself).
enum Deadline {
    /// The result of `operation`, or `TransportError.timedOut` after `seconds`.
    static func run<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = ResumeGate<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                gate.set(continuation)
                let work = Task {
                    do { gate.resume(.success(try await operation())) } catch { gate.resume(.failure(error)) }
                }
                gate.setWork(work)
                Task {
                    try? await Task.sleep(for: .seconds(max(0, seconds)))
                    if gate.resume(.failure(TransportError.timedOut)) { work.cancel() }
                }
            }
        } onCancel: {
            gate.cancel()
        }
    }
}

/// Resumes a continuation exactly once, whichever of work, timer or cancellation comes first.
final class ResumeGate<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var pending: Result<T, any Error>?
        var finished = false
        var work: Task<Void, Never>?
    }
    private let state = Mutex(State())

    func set(_ c: CheckedContinuation<T, any Error>) {
        let pending = state.withLock { state in
            if state.pending == nil { state.continuation = c }
            return state.pending
        }
        if let pending { c.resume(with: pending) }
    }

    func setWork(_ t: Task<Void, Never>) {
        let done = state.withLock { state in
            state.work = t
            return state.finished
        }
        if done { t.cancel() }
    }

    /// True when this call resumed the continuation.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        // Resumed outside the lock: the continuation runs its task's code, which may call back in.
        let claimed: (won: Bool, continuation: CheckedContinuation<T, any Error>?) = state.withLock { state in
            guard !state.finished else { return (false, nil) }
            state.finished = true
            let c = state.continuation
            state.continuation = nil
            if c == nil { state.pending = result }
            return (true, c)
        }
        guard claimed.won else { return false }
        claimed.continuation?.resume(with: result)
        return true
    }

    func cancel() {
        if resume(.failure(TransportError.cancelled)) {
            state.withLock { $0.work }?.cancel()
        }
    }
}
