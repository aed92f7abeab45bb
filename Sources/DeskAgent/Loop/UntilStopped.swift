import DeskCore

/// Runs `body` (a model call), giving up early with ``StoppedError`` when a stop is requested meanwhile, so
/// Ctrl-C or `deskpilot stop` does not wait for a slow model.
func untilStopped<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            while !Task.isCancelled {
                if let why = StopFlag.current.requested { throw StoppedError(reason: why) }
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            if let value = next { return value }
        }
        throw StoppedError(reason: StopFlag.current.requested ?? "cancelled")
    }
}
