import DeskCore
@testable import DeskDaemon
import DeskTesting
import FlyingSocks
import Foundation
import Testing
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The daemon over its real Unix socket: modes, routes and errors, streams, concurrency, peers.
@Suite(.ownThread) struct SocketTests {
    static let slowTask = "name: slow\nsteps:\n  - wait: 600ms\n  - click: [3, 3]\n  - wait: 600ms\n"

    func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & 0o777
    }

    @Test func theSocketIsPrivateAndGoneAfterStop() async throws {
        let h = try DaemonHarness()
        try await h.start()
        #expect(mode(h.socketPath) == 0o600)
        #expect(mode(h.directory) == 0o700)
        let health = try await onThread { try h.client.send("GET", "/health") }
        #expect(health.status == 200)
        await h.service.shutdown(reason: "test")
        #expect(!FileManager.default.fileExists(atPath: h.socketPath))
        let after = try await onThread { () -> DaemonClientError? in
            do { _ = try h.client.send("GET", "/health"); return nil } catch { return error as? DaemonClientError }
        }
        #expect(after?.kind == .noDaemon && after?.exitStatus == .environment)
        try? FileManager.default.removeItem(atPath: h.directory)
    }

    @Test func aStaleSocketIsReplacedAndALiveOneRefused() async throws {
        let h = try DaemonHarness()
        try RunRegistryTestSupport.makePrivateDirectory(h.directory)
        // A socket file nobody listens on: what a crashed daemon leaves.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            let bytes = Array(h.socketPath.utf8)
            for (i, b) in bytes.enumerated() { buf[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(fd)
        try await h.start()
        let health = try await onThread { try h.client.send("GET", "/health") }
        #expect(health.status == 200)
        let second = try DaemonHarness()
        await #expect(throws: SocketSetupError.self) {
            try await second.service.start(socketPath: h.socketPath)
        }
        #expect(FileManager.default.fileExists(atPath: h.socketPath))
        await h.stop()
    }

    @Test func routesAndErrorsOverTheSocket() async throws {
        let h = try DaemonHarness(maxBodyBytes: 1024)
        try await h.start()
        try await withTeardown({ await h.stop() }) { () async throws in
            let c = h.client
            let results = try await onThread { () -> [Int] in
                [try c.send("GET", "/info").status,
                 try c.send("GET", "/nope").status,
                 try c.send("DELETE", "/health").status,
                 try c.send("POST", "/jobs", body: Array("{oops".utf8)).status,
                 try c.send("POST", "/jobs", body: [UInt8](repeating: 0x20, count: 5000)).status,
                 try c.send("GET", "/screenshot").status,
                 try c.send("POST", "/actions", json: ["action": "move", "x": 1, "y": 1]).status,
                 try c.send("GET", "/jobs").status]
            }
            #expect(results == [200, 404, 405, 400, 413, 200, 200, 200])
            let malformed = try await onThread { try c.send("POST", "/jobs", body: Array("{oops".utf8)) }
            #expect(malformed.errorMessage.hasPrefix("malformed JSON"))
        }
    }

    @Test func fiftyClientsPollWhileAJobRunsAndEventsStreamToTheEnd() async throws {
        let h = try DaemonHarness()
        try await h.start()
        try await withTeardown({ await h.stop() }) { () async throws in
            let c = h.client
            let created = try await onThread {
                try c.call("POST", "/jobs", json: DaemonHarness.taskBody(Self.slowTask), as: JobSnapshot.self)
            }
            let id = created.id
            async let streamed: [JobEvent] = onThread {
                var events: [JobEvent] = []
                try c.followEvents(job: id) { events.append($0); return true }
                return events
            }
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await onThread {
                            (0..<5).map { _ in (try? c.send("GET", "/jobs/\(id)").status) ?? -1 }
                        }
                    }
                }
                var all: [Int] = []
                for try await s in group { all += s }
                return all
            }
            #expect(statuses.count == 250 && statuses.allSatisfy { $0 == 200 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
            let events = try await streamed
            #expect(events.last?.kind == .end && events.last?.state == .succeeded && events.last?.exitCode == 0)
            #expect(events.contains { $0.kind == .step })
            #expect(events.map(\.seq) == Array(1...events.count))
            let done = try await h.waitFor(id, [.succeeded])
            #expect(done.steps == 3)
        }
    }

    @Test func aClientThatLeavesMidStreamDoesNotDisturbTheJob() async throws {
        let h = try DaemonHarness()
        try await h.start()
        try await withTeardown({ await h.stop() }) { () async throws in
            let c = h.client
            let id = try await onThread {
                try c.call("POST", "/jobs", json: DaemonHarness.taskBody(Self.slowTask), as: JobSnapshot.self).id
            }
            // Read the first event, then hang up.
            let first = try await onThread { () -> JobEvent? in
                var seen: JobEvent?
                try c.followEvents(job: id) { seen = $0; return false }
                return seen
            }
            #expect(first?.seq == 1)
            let done = try await h.waitFor(id, [.succeeded, .failed, .stopped])
            #expect(done.state == .succeeded)
            // A late subscriber still gets the whole story.
            let replay = try await onThread { () -> [JobEvent] in
                var events: [JobEvent] = []
                try c.followEvents(job: id) { events.append($0); return true }
                return events
            }
            #expect(replay.first?.seq == 1 && replay.last?.kind == .end)
        }
    }

    @Test func aPeerWithAnotherUIDIsRefusedByTheUIDCheck() async throws {
        let h = try DaemonHarness(allowedUID: geteuid() &+ 4242)
        try await h.start()
        try await withTeardown({ await h.stop() }) { () async throws in
            let r = try await onThread { try h.client.send("GET", "/health") }
            #expect(r.status == 403)
            #expect(r.errorMessage.contains("uid \(geteuid())"))
        }
    }

    @Test func theLoopbackListenerNeedsTheBearerToken() async throws {
        let h = try DaemonHarness()
        let token = "0123456789abcdef-token"
        try await h.service.start(socketPath: h.socketPath, tcp: (host: "127.0.0.1", port: 0, token: token))
        try await withTeardown({ await h.stop() }) { () async throws in
            guard case .tcp(_, let port, _)? = h.service.server.endpoints.first(where: {
                if case .tcp = $0 { return true } else { return false }
            }) else {
                Issue.record("no TCP endpoint")
                return
            }
            #expect(port != 0)
            func status(_ authorization: String?) async throws -> String {
                try await onThread {
                    let socket = try Socket(domain: AF_INET, type: .stream)
                    defer { try? socket.close() }
                    try socket.connect(to: sockaddr_in.inet(ip4: "127.0.0.1", port: port))
                    var head = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    if let authorization { head += "Authorization: \(authorization)\r\n" }
                    _ = try socket.write(Data((head + "\r\n").utf8))
                    var text = ""
                    while let bytes = try? socket.read(atMost: 4096), !bytes.isEmpty { text += String(decoding: bytes, as: UTF8.self) }
                    return String(text.prefix(12))
                }
            }
            #expect(try await status(nil) == "HTTP/1.1 401")
            #expect(try await status("Bearer wrong-token-0000000000") == "HTTP/1.1 401")
            #expect(try await status("Bearer \(token)") == "HTTP/1.1 200")
        }
    }

    @Test func aModelsCallUserIsAnsweredThroughReply() async throws {
        let server = try await ScriptedModelServer.start(script: [
            .text("Thought: I need to know which file.\nAction: call_user()"),
            .text("Thought: Done.\nAction: finished(content='ok')"),
        ])
        let h = try DaemonHarness()
        try await h.start()
        try await withTeardown({ await h.stop(); await server.stop() }) { () async throws in
            let c = h.client
            let endpoint = server.baseURL.absoluteString, model = server.modelName
            let id = try await onThread {
                try c.call("POST", "/jobs", json: ["goal": "rename the file", "endpoint": endpoint, "model": model,
                                                   "dialect": "ui-tars-1.5"], as: JobSnapshot.self).id
            }
            let waiting = try await h.waitFor(id, [.awaitingUser, .failed, .succeeded])
            #expect(waiting.state == .awaitingUser)
            #expect(waiting.question?.contains("needs help") == true || waiting.question?.isEmpty == false)
            let reply = try await onThread { try c.send("POST", "/jobs/\(id)/reply", json: ["text": "the blue one"]) }
            #expect(reply.status == 200)
            let done = try await h.waitFor(id, [.succeeded, .failed, .stopped])
            #expect(done.state == .succeeded, "\(done.reason ?? "")")
            let requests = await server.requests
            #expect(requests.count == 2)
            let second = String(decoding: requests.last?.body ?? Data(), as: UTF8.self)
            #expect(second.contains("the blue one"))
        }
    }
}

/// Small file helpers for the socket tests.
enum RunRegistryTestSupport {
    static func makePrivateDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }
}
