import DeskConfig
import DeskCore
@testable import DeskDaemon
import Foundation
import Testing

/// A daemon on a private socket in a fresh temp folder, with fake (or given) displays.
final class DaemonHarness: Sendable {
    let directory: String
    let socketPath: String
    let service: DaemonService
    let displays: [any DaemonDisplay]

    var router: DaemonRouter { service.router }
    var client: DaemonClient { DaemonClient(socketPath: socketPath, timeout: 20) }

    init(displays: [any DaemonDisplay]? = nil, policy: Policy? = nil, maxBodyBytes: Int = 64 * 1024,
         confirmTimeout: Double = 20, allowedUID: UInt32 = geteuid(), environment: [String: String] = [:],
         listenerLimits: ListenerLimits = .init()) throws {
        directory = NSTemporaryDirectory() + "deskpilot-daemon-test-\(UUID().uuidString.prefix(8))"
        socketPath = directory + "/test.sock"
        self.displays = displays ?? [FakeDisplay(name: ":91")]
        var env = ProcessInfo.processInfo.environment
        for key in ["DESKPILOT_ENDPOINT", "DESKPILOT_MODEL", "DESKPILOT_DIALECT"] { env.removeValue(forKey: key) }
        env["XDG_CONFIG_HOME"] = directory + "/config"
        for (k, v) in environment { env[k] = v }
        var settings = DaemonSettings(policyName: "default", policy: try policy ?? PolicyLoader.load(nameOrPath: "default"),
                                      traceDir: directory + "/traces", maxBodyBytes: maxBodyBytes,
                                      confirmTimeout: confirmTimeout, replyTimeout: confirmTimeout, version: "test",
                                      environment: env)
        settings.listenerLimits = listenerLimits
        service = DaemonService(displays: self.displays, settings: settings, allowedUID: allowedUID)
    }

    /// Binds the socket and starts serving.
    func start() async throws {
        try await service.start(socketPath: socketPath)
    }

    func stop() async {
        await service.shutdown(reason: "test over")
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A job body for a scripted task written inline.
    static func taskBody(_ yaml: String, extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = ["task_yaml": yaml, "task_name": "test-task.yaml"]
        for (k, v) in extra { body[k] = v }
        return body
    }

    /// Waits (polling the router) until job `id` reaches one of `states`.
    func waitFor(_ id: String, _ states: Set<JobState>, timeout: Double = 20) async throws -> JobSnapshot {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let snapshot = try #require(await service.queue.job(id)).snapshot()
            if states.contains(snapshot.state) { return snapshot }
            if Date() > deadline {
                Issue.record("job \(id) is \(snapshot.state.rawValue), expected \(states.map(\.rawValue))")
                return snapshot
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass (the timeout only bounds a
/// failure); whether it held.
func waitUntil(timeout: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try await condition() { return true }
        if Date() > deadline { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
}

/// Runs blocking work (the blocking client) on a thread of its own, so it never starves the in-process
/// server of the cooperative pool.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

extension DaemonResponse {
    /// The body parsed as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bodyBytes)) as? [String: Any]) ?? [:]
    }
}

extension DaemonClient.Response {
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:]
    }
}
