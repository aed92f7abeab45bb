import DeskCore
import Foundation
import Testing

/// Runs each test of a suite on threads of its own rather than on Swift's cooperative pool, a few tests at a
/// time.
///
/// X11 tests block while they wait for the X server, a child process or a settle time. On the pool (one
/// thread per core) they would starve the tests that serve HTTP from it (the scripted model server, the
/// daemon's socket) and those would time out; on their own threads the pool stays free, and the whole suite
/// runs in one `swift test`. At most ``BlockingTestSlots/width`` such tests run at once, as many as the
/// machine has cores (`DESKPILOT_TEST_PARALLEL` overrides), so they do not crowd each other either.
public struct OwnThreadTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> OwnThreadTrait? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        // A suite inside a suite that has the trait already runs on its own threads: take no second slot.
        if Self.isInside { return try await function() }
        try await Self.$isInside.withValue(true) { try await run(test, function) }
    }

    @TaskLocal private static var isInside = false

    private func run(_ test: Test, _ function: @Sendable () async throws -> Void) async throws {
        try await BlockingTestSlots.shared.withSlot {
            // Several threads: a test may block in one child task while another does the work it waits for.
            let executor = DedicatedThreadExecutor(name: "test-\(test.name.prefix(40))", threads: 4)
            defer { executor.close() }
            try await withTaskExecutorPreference(executor) { try await function() }
        }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// The suite's tests block their thread: run them on threads of their own (``OwnThreadTrait``).
    public static var ownThread: Self { OwnThreadTrait() }
}

/// How many blocking tests run at once, handed out in order.
public actor BlockingTestSlots {
    public static let shared = BlockingTestSlots(width: BlockingTestSlots.defaultWidth)

    /// `DESKPILOT_TEST_PARALLEL`, else the core count (at least 2).
    public static var defaultWidth: Int {
        if let text = ProcessInfo.processInfo.environment["DESKPILOT_TEST_PARALLEL"], let n = Int(text), n > 0 { return n }
        return max(2, ProcessInfo.processInfo.activeProcessorCount)
    }

    public let width: Int
    private var busy = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(width: Int) { self.width = max(1, width) }

    /// Runs `body` once a slot is free, and frees it after, whether `body` returned or threw.
    public nonisolated func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        if busy < width {
            busy += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy -= 1
        } else {
            waiting.removeFirst().resume()  // the slot passes straight to the next test
        }
    }
}
