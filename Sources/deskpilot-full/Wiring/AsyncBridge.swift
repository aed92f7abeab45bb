import Foundation

/// Runs async work to completion from a synchronous command's `run()`.
enum AsyncBridge {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

/// Holds the bridged result; written once before the semaphore is signalled, read after.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
