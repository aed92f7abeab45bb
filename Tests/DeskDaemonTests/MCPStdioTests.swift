import DeskCore
import Foundation
import Testing
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `deskpilot mcp --headless` as an MCP client meets it over stdio: every shipped example passes through
/// `run_task`, each keeping its trace in the documented default place, with structured results.
@Suite(.serialized, .enabled(if: DaemonBinary.hasDaemonCommands, "the daemon commands are not registered in the deskpilot executable"), .ownThread)
struct MCPStdioTests {
    /// A JSON-RPC conversation with one `deskpilot mcp` process (blocking; use it from a thread of its own).
    final class Conversation {
        let process: Process
        let input = Pipe(), output = Pipe()
        var reader: LineReader
        var nextID = 1

        init(_ arguments: [String], environment: [String: String]) throws {
            process = try DaemonBinary.start(["mcp"] + arguments, environment: environment, stdin: input, stdout: output)
            reader = LineReader(handle: output.fileHandleForReading)
        }

        func notify(_ method: String) throws {
            try write(["jsonrpc": "2.0", "method": method])
        }

        /// Sends a request and returns its `result` (or throws with its `error`).
        func request(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
            let id = nextID
            nextID += 1
            try write(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
            while let line = reader.next() {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["id"] as? Int == id else { continue }
                if let error = object["error"] { throw InputError("\(method): \(error)") }
                return object["result"] as? [String: Any] ?? [:]
            }
            throw InputError("the MCP server closed stdout before answering \(method)")
        }

        private func write(_ object: [String: Any]) throws {
            var data = try JSONSerialization.data(withJSONObject: object)
            data.append(0x0A)
            input.fileHandleForWriting.write(data)
        }

        func close() -> Int32? {
            try? input.fileHandleForWriting.close()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning {
                process.terminate()
                return nil
            }
            return process.terminationStatus
        }
    }

    /// What one test saw, handed back from its thread.
    struct Seen: Sendable {
        var protocolVersion: String?
        var annotated: [String] = []
        var runs: [(String, String?, String?, Bool?)] = []  // file, state, trace_dir, isError
        var exitStatus: Int32?
    }

    @Test func everyExamplePassesThroughRunTaskWithItsTraceInTheDefaultPlace() async throws {
        let state = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let examples = JobIsolationTests.examples.map { JobIsolationTests.repository + "/tasks/examples/" + $0 }
        #expect(examples.count >= 4)
        let seen = try await onThread { () throws -> Seen in
            let talk = try Conversation(["--headless", "--screen", "1280x800"], environment: ["XDG_STATE_HOME": state])
            var seen = Seen()
            let hello = try talk.request("initialize", ["protocolVersion": "2025-11-25", "capabilities": [:] as [String: Any],
                                                        "clientInfo": ["name": "test", "version": "1"]])
            seen.protocolVersion = hello["protocolVersion"] as? String
            try talk.notify("notifications/initialized")
            let tools = try talk.request("tools/list", [:])["tools"] as? [[String: Any]] ?? []
            seen.annotated = tools.filter { $0["annotations"] is [String: Any] }.compactMap { $0["name"] as? String }
            for path in examples {
                let result = try talk.request("tools/call", ["name": "run_task", "arguments": ["task_path": path]])
                let structured = result["structuredContent"] as? [String: Any]
                seen.runs.append((URL(fileURLWithPath: path).lastPathComponent, structured?["state"] as? String,
                                  structured?["trace_dir"] as? String, result["isError"] as? Bool))
            }
            seen.exitStatus = talk.close()
            return seen
        }
        #expect(seen.protocolVersion == "2025-11-25")
        #expect(seen.annotated.count >= 15)
        for (file, ended, trace, isError) in seen.runs {
            #expect(ended == "succeeded" && isError == false, "\(file): \(String(describing: ended))")
            #expect(trace?.hasPrefix(state + "/deskpilot/traces/") == true, "\(file): \(String(describing: trace))")
            if let trace { #expect(FileManager.default.fileExists(atPath: trace + "/report.html")) }
        }
        #expect(seen.runs.count == examples.count)
        #expect(seen.exitStatus == 0)
    }

    @Test func theTreeAndLocateToolsReadTheAccessibilityTreeOfAGTKWindow() async throws {
        let (roles, windows, isError, located, exitStatus) = try await onThread {
            () throws -> ([String], [String], Bool?, [String], Int32?) in
            let talk = try Conversation(["--headless", "--screen", "1024x768", "--desktop", "openbox", "--no-trace"],
                                        environment: [:])
            _ = try talk.request("initialize", ["protocolVersion": "2025-11-25", "capabilities": [:] as [String: Any],
                                                "clientInfo": ["name": "test", "version": "1"]])
            try talk.notify("notifications/initialized")
            // Started in a session of its own, the GTK window outlives the job that opened it.
            let task = """
                name: open-gtk
                setup:
                  - [sh, -c, "setsid deskpilot-gtk-fixture --log /dev/null --title mcp-tree >/dev/null 2>&1 &"]
                  - wait_for: {window: {name: mcp-tree}, timeout: 30s}
                steps:
                  - wait: 1s
                """
            _ = try talk.request("tools/call", ["name": "run_task", "arguments": ["task_yaml": task]])
            let result = try talk.request("tools/call", ["name": "tree", "arguments": ["depth": 20]])
            let nodes = (result["structuredContent"] as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
            // Top-level windows matched to their X window, by name.
            let windows = nodes.filter { ($0["window"] as? String)?.hasPrefix("0x") == true }.compactMap { $0["name"] as? String }
            // locate grounds as `deskpilot locate` does: the tree first.
            let found = try talk.request("tools/call", ["name": "locate", "arguments": ["text": "Apply"]])
            let matches = (found["structuredContent"] as? [String: Any])?["matches"] as? [[String: Any]] ?? []
            let located = matches.map { "\($0["source"] ?? "?") \($0["role"] ?? "-") \($0["text"] ?? "")" }
            return (nodes.compactMap { $0["role"] as? String }, windows, result["isError"] as? Bool, located, talk.close())
        }
        #expect(located.first == "a11y push button Apply", "\(located)")
        #expect(isError == false)
        #expect(roles.contains("push button"), "\(roles.prefix(20))")
        #expect(windows.contains("mcp-tree"), "\(windows)")
        #expect(exitStatus == 0)
    }
}
