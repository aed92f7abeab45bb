import DeskCore
import Dispatch
import Foundation
import Synchronization

/// One dedicated thread that makes every libatspi call: libatspi is not thread-safe, and its D-Bus calls
/// block, so they must never run on Swift's cooperative pool. Callers wait for a job with a deadline; a job
/// that overruns (an application that stopped answering) keeps the thread, not the caller.
final class A11yWorker: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let wake = DispatchSemaphore(value: 0)

    init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    private func loop() {
        while true {
            wake.wait()
            let job = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            job?()
        }
    }

    /// Runs `body` on the thread and waits for it, at most `timeout` seconds.
    /// - Throws: what `body` throws; `EnvironmentError` when it did not finish in time (it goes on running,
    ///   and its result is dropped).
    func run<T: Sendable>(timeout: Double, what: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let pending = Pending<T>()
        enqueue(body, into: pending)
        guard pending.done.wait(timeout: .now() + timeout) == .success else {
            throw Self.timeout(what, timeout)
        }
        return try pending.take()
    }

    /// ``run(timeout:what:_:)`` for async callers: the caller's task is suspended, no pool thread is blocked.
    func run<T: Sendable>(timeout: Double, what: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        let pending = Pending<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let resumed = Mutex(false)
            let resume: @Sendable (Result<T, any Error>) -> Void = { result in
                let first = resumed.withLock { r -> Bool in defer { r = true }; return !r }
                if first { continuation.resume(with: result) }
            }
            enqueue(body, into: pending, then: resume)
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                resume(.failure(Self.timeout(what, timeout)))
            }
        }
    }

    /// The accessibility bus did not answer in time: an environment error (exit status 3).
    static func timeout(_ what: String, _ seconds: Double) -> EnvironmentError {
        EnvironmentError("the accessibility bus did not answer \(what) within \(String(format: "%g", seconds))s")
    }

    private func enqueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T, into pending: Pending<T>,
                                      then: (@Sendable (Result<T, any Error>) -> Void)? = nil) {
        jobs.withLock {
            $0.append {
                let result = Result { try body() }
                pending.finish(result)
                then?(result)
            }
        }
        wake.signal()
    }
}

/// A job's result, handed from the worker thread to the waiting caller.
private final class Pending<T: Sendable>: Sendable {
    let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<T, any Error>?>(nil)

    func finish(_ r: Result<T, any Error>) {
        result.withLock { $0 = r }
        done.signal()
    }

    func take() throws -> T {
        guard let r = result.withLock({ $0 }) else { throw EnvironmentError("an accessibility job ended without a result") }
        return try r.get()
    }
}

