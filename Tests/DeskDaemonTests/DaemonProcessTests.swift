import DeskAgent
import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `deskpilot serve`, the client commands and `deskpilot mcp` as real processes.
@Suite(.enabled(if: DaemonBinary.hasDaemonCommands, "the daemon commands are not registered in the deskpilot executable"), .ownThread)
struct DaemonProcessTests {
    static let waitTask = "name: long\nsteps:\n  - wait: 30s\n"

    @Test func sigtermStopsTheJobAndLeavesNoSocketAndNoXvfb() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let screen = "\(700 + Int.random(in: 1...300))x\(500 + Int.random(in: 1...200))"
        let socketPath = dir + "/deskpilot/pool.sock"
        let daemon = try DaemonBinary.start(["serve", "--headless", "--displays", "2", "--screen", screen, "--no-trace"],
                                            environment: ["XDG_RUNTIME_DIR": dir], stderrPath: dir + "/serve.log")
        #expect(await DaemonBinary.waitForSocket(socketPath, process: daemon))
        #expect(DaemonBinary.processes(containing: "\(screen)x24").count == 2)
        let client = DaemonClient(socketPath: socketPath)
        let taskFile = dir + "/long.yaml"
        try Self.waitTask.write(toFile: taskFile, atomically: true, encoding: .utf8)
        let id = try await onThread { try client.call("POST", "/jobs", json: ["task_path": taskFile], as: JobSnapshot.self).id }
        let deadline = Date().addingTimeInterval(10)
        var state = JobState.queued
        while state != .running && Date() < deadline {
            state = try await onThread { try client.call("GET", "/jobs/\(id)", as: JobSnapshot.self).state }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(state == .running)
        kill(daemon.processIdentifier, SIGTERM)
        let status = await DaemonBinary.waitForExit(daemon, timeout: 20)
        let log = (try? String(contentsOfFile: dir + "/serve.log", encoding: .utf8)) ?? ""
        #expect(status == 0, "\(log)")
        #expect(log.contains("job \(id) stopped (exit 130)"))
        #expect(!FileManager.default.fileExists(atPath: socketPath))
        #expect(DaemonBinary.processes(containing: "\(screen)x24").isEmpty)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to run the daemon as another user"))
    func aPeerWithAnotherUIDIsRefusedByTheUIDCheckItself() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The daemon runs as nobody; root connects. File modes never stop root, so only SO_PEERCRED can.
        let nobody: uid_t = 65534
        #expect(chown(dir, nobody, gid_t(nobody)) == 0)
        let socketPath = dir + "/d.sock"
        let logPath = NSTemporaryDirectory() + "deskpilot-nobody-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let daemon = try DaemonBinary.start(
            ["serve", "--headless", "--screen", "640x480", "--socket", socketPath, "--no-trace"],
            prefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
            environment: ["XDG_RUNTIME_DIR": dir, "HOME": dir], stderrPath: logPath)
        defer {
            // The daemon stops its Xvfb and removes its socket by itself.
            kill(daemon.processIdentifier, SIGTERM)
        }
        let log = { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
        #expect(await DaemonBinary.waitForSocket(socketPath, process: daemon), "\(log())")
        var info = stat()
        #expect(lstat(socketPath, &info) == 0 && info.st_uid == nobody && info.st_mode & 0o777 == 0o600)
        let response = try await onThread { try DaemonClient(socketPath: socketPath).send("GET", "/health") }
        #expect(response.status == 403)
        #expect(response.errorMessage.contains("uid 0 may not use this daemon"))
        // The daemon writes its log line around the answer; give it until it shows.
        #expect(await waitUntil { log().contains("refused a connection from uid 0") }, "\(log())")
    }

    @Test func clientsSayClearlyWhenNoDaemonRuns() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["XDG_RUNTIME_DIR": dir, "DISPLAY": ":87"]
        for args in [["status"], ["stop", "3"], ["confirm", "3", "yes"], ["reply", "3", "hello"], ["pause"], ["resume"],
                     ["submit", "--goal", "anything"]] {
            let (status, _, stderr) = try await DaemonBinary.runAsync(args, environment: env)
            #expect(status == 3, "\(args): \(stderr)")
            #expect(stderr.contains("no daemon is running"), "\(args): \(stderr)")
            #expect(stderr.contains(dir + "/deskpilot/:87.sock"), "\(args): \(stderr)")
        }
        let (status, _, stderr) = try await DaemonBinary.runAsync(["stop"], environment: env)
        #expect(status == 3 && stderr.contains("no standalone run"), "\(stderr)")
    }

    @Test func theCLIClientsDriveADaemon() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socketPath = dir + "/deskpilot/pool.sock"
        let env = ["XDG_RUNTIME_DIR": dir]
        let daemon = try DaemonBinary.start(["serve", "--headless", "--screen", "640x480", "--trace-dir", dir + "/traces"],
                                            environment: env, stderrPath: dir + "/serve.log")
        defer {
            // The daemon stops its Xvfb and removes its socket by itself.
            kill(daemon.processIdentifier, SIGTERM)
        }
        #expect(await DaemonBinary.waitForSocket(socketPath, process: daemon))
        let task = dir + "/t.yaml"
        try "name: t\nsteps:\n  - click: [10, 10]\n  - type: \"hi\"\n".write(toFile: task, atomically: true, encoding: .utf8)
        let (status, out, err) = try await DaemonBinary.runAsync(["submit", task, "--wait"], environment: env)
        #expect(status == 0, "\(err)")
        #expect(out.contains("succeeded (exit 0)"))
        let (s2, listing, _) = try await DaemonBinary.runAsync(["status"], environment: env)
        #expect(s2 == 0 && listing.contains("succeeded"))
        let (s3, _, e3) = try await DaemonBinary.runAsync(["confirm", "1", "yes"], environment: env)
        #expect(s3 == 2 && e3.contains("not awaiting_confirmation"), "\(e3)")
        let long = dir + "/long.yaml"
        try Self.waitTask.write(toFile: long, atomically: true, encoding: .utf8)
        let (s4, id, _) = try await DaemonBinary.runAsync(["submit", long], environment: env)
        #expect(s4 == 0)
        let jobID = id.trimmingCharacters(in: .whitespacesAndNewlines)
        // `pause` without an id pauses the running jobs: wait until this one runs.
        let client = DaemonClient(socketPath: socketPath)
        #expect(await waitUntil {
            (try? await onThread { try client.call("GET", "/jobs/\(jobID)", as: JobSnapshot.self).state }) == .running
        })
        // pause and resume (without an id: every running, then every paused job).
        let (sp, paused, ep) = try await DaemonBinary.runAsync(["pause"], environment: env)
        #expect(sp == 0 && paused.contains("paused"), "\(paused)\(ep)")
        let (ss, shown, _) = try await DaemonBinary.runAsync(["status", jobID], environment: env)
        #expect(ss == 0 && shown.contains("paused"), "\(shown)")
        let (sr, resumed, er) = try await DaemonBinary.runAsync(["resume"], environment: env)
        #expect(sr == 0 && resumed.contains("running"), "\(resumed)\(er)")
        let (s5, stopped, e5) = try await DaemonBinary.runAsync(["stop", jobID], environment: env)
        #expect(s5 == 0 && stopped.contains("stopped"), "\(e5)")
    }

    @Test func stopWithoutAnIDSignalsTheRegisteredRunsOfTheDisplay() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let task = dir + "/long.yaml"
        try Self.waitTask.write(toFile: task, atomically: true, encoding: .utf8)
        let screen = "\(700 + Int.random(in: 1...300))x\(500 + Int.random(in: 1...200))"
        // A standalone run registers itself (runs/<pid>.json) with the display it opened.
        let run = try DaemonBinary.start(["run", task, "--headless", "--screen", screen, "--trace-dir", dir + "/traces"],
                                         environment: ["XDG_RUNTIME_DIR": dir], stderrPath: dir + "/run.log")
        let registry = RunRegistry(directory: dir + "/deskpilot")
        var display: String?
        let deadline = Date().addingTimeInterval(20)
        while display == nil && Date() < deadline {
            display = registry.list().first { $0.pid == run.processIdentifier }?.display
            try await Task.sleep(for: .milliseconds(100))
        }
        let name = try #require(display, "the run never registered")
        let (status, out, err) = try await DaemonBinary.runAsync(["stop"], environment: ["XDG_RUNTIME_DIR": dir, "DISPLAY": name])
        #expect(status == 0, "\(err)")
        #expect(out.contains("sent SIGTERM to task run \(run.processIdentifier)"))
        #expect(await DaemonBinary.waitForExit(run, timeout: 20) == 130)
    }

    /// What the MCP conversation showed.
    struct MCPObservations: Sendable {
        var serverName: String?
        var tools: [String] = []
        var imageType: String?
        var png: [UInt8] = []
        var clickIsError: Bool?
        var exitStatus: Int32?
    }

    @Test func mcpOverStdioListsToolsAndDrivesXvfb() async throws {
        let screen = "\(700 + Int.random(in: 1...300))x\(500 + Int.random(in: 1...200))"
        let seen = try await onThread { try Self.talkMCP(screen: screen) }
        #expect(seen.serverName == "deskpilot")
        #expect(Set(seen.tools).isSuperset(of: ["screenshot", "click", "type", "key", "run_task"]))
        #expect(seen.imageType == "image")
        let bytes = seen.png
        #expect(bytes.count > 24 && bytes[0..<4] == [0x89, 0x50, 0x4E, 0x47])
        if bytes.count > 24 {
            func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
            #expect("\(be32(16))x\(be32(20))" == screen)
        }
        #expect(seen.clickIsError == false)
        #expect(seen.exitStatus == 0)
        #expect(DaemonBinary.processes(containing: "\(screen)x24").isEmpty)
    }

    /// Speaks JSON-RPC lines with `deskpilot mcp` (blocking; run it on a thread of its own).
    static func talkMCP(screen: String) throws -> MCPObservations {
        let input = Pipe(), output = Pipe()
        let mcp = try DaemonBinary.start(["mcp", "--headless", "--screen", screen], stdin: input, stdout: output)
        var reader = LineReader(handle: output.fileHandleForReading)
        var seen = MCPObservations()
        func send(_ object: [String: Any]) throws {
            var data = try JSONSerialization.data(withJSONObject: object)
            data.append(0x0A)
            input.fileHandleForWriting.write(data)
        }
        func answer(_ id: Int) throws -> [String: Any] {
            while let line = reader.next() {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                if object["id"] as? Int == id { return object }
            }
            throw InputError("the MCP server closed stdout before answering \(id)")
        }
        try send(["jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": ["protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any],
                             "clientInfo": ["name": "test", "version": "1"]]])
        seen.serverName = ((try answer(1)["result"] as? [String: Any])?["serverInfo"] as? [String: Any])?["name"] as? String
        try send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        try send(["jsonrpc": "2.0", "id": 2, "method": "tools/list"])
        seen.tools = ((try answer(2)["result"] as? [String: Any])?["tools"] as? [[String: Any]])?
            .compactMap { $0["name"] as? String } ?? []
        try send(["jsonrpc": "2.0", "id": 3, "method": "tools/call",
                  "params": ["name": "screenshot", "arguments": [:] as [String: Any]]])
        let shot = (try answer(3)["result"] as? [String: Any])?["content"] as? [[String: Any]] ?? []
        seen.imageType = shot.first?["type"] as? String
        seen.png = [UInt8](Data(base64Encoded: shot.first?["data"] as? String ?? "") ?? Data())
        try send(["jsonrpc": "2.0", "id": 4, "method": "tools/call",
                  "params": ["name": "click", "arguments": ["x": 20, "y": 30]]])
        seen.clickIsError = (try answer(4)["result"] as? [String: Any])?["isError"] as? Bool
        try input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(20)
        while mcp.isRunning && Date() < deadline { usleep(20_000) }
        if !mcp.isRunning { seen.exitStatus = mcp.terminationStatus } else { mcp.terminate() }
        return seen
    }
}

/// Reads lines from a pipe as they arrive.
struct LineReader {
    let handle: FileHandle
    var buffer = Data()

    mutating func next() -> String? {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<nl]
                buffer = Data(buffer[(nl + 1)...])
                return String(decoding: line, as: UTF8.self)
            }
            let more = handle.availableData
            if more.isEmpty { return nil }
            buffer.append(more)
        }
    }
}
