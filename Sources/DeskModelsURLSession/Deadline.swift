import DeskModels
import Foundation

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
final class ResumeGate<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var pending: Result<T, any Error>?
    private var finished = false
    private var work: Task<Void, Never>?

    func set(_ c: CheckedContinuation<T, any Error>) {
        lock.lock()
        if let pending {
            lock.unlock()
            c.resume(with: pending)
            return
        }
        continuation = c
        lock.unlock()
    }

    func setWork(_ t: Task<Void, Never>) {
        lock.lock()
        work = t
        let done = finished
        lock.unlock()
        if done { t.cancel() }
    }

    /// True when this call resumed the continuation.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        lock.lock()
        guard !finished else { lock.unlock(); return false }
        finished = true
        let c = continuation
        continuation = nil
        if c == nil { pending = result }
        lock.unlock()
        c?.resume(with: result)
        return true
    }

    func cancel() {
        if resume(.failure(TransportError.cancelled)) {
            lock.lock()
            let w = work
            lock.unlock()
            w?.cancel()
        }
    }
}
