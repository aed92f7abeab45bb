/// Runs `body`, then awaits `teardown` whether `body` returned or threw: a test's cleanup that finishes before
/// the test does (a `defer { Task { … } }` would leave it running after the test, racing the next one).
public func withTeardown<T>(_ teardown: () async -> Void, _ body: () async throws -> T) async rethrows -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await teardown()
        throw error
    }
    await teardown()
    return result
}
