import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `deskpilot serve` under attack, as a real process with a low open-file limit.
@Suite(.enabled(if: DaemonBinary.hasDaemonCommands, "the daemon commands are not registered in the deskpilot executable"), .ownThread)
struct ListenerProcessTests {
    /// Runs `deskpilot serve args…` through a shell that first lowers the open-file limit to `files`.
    static func startServe(_ arguments: [String], files: Int, in dir: String) throws -> Process {
        try DaemonBinary.start(["serve", "--headless", "--screen", "640x480", "--no-trace"] + arguments,
                               prefix: ["/bin/sh", "-c", "ulimit -n \(files) && exec \"$0\" \"$@\""],
                               environment: ["XDG_RUNTIME_DIR": dir, "HOME": dir], stderrPath: dir + "/serve.log")
    }

    static func log(_ dir: String) -> String { (try? String(contentsOfFile: dir + "/serve.log", encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds or `seconds` pass.
    static func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test func afterDescriptorExhaustionTheSocketAnswersAgain() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socketPath = dir + "/d.sock"
        // Caps above the file limit, so that accept itself runs out of descriptors (what 20 000 idle
        // connections did to the default limit).
        let daemon = try Self.startServe(["--socket", socketPath, "--max-connections", "5000",
                                          "--max-connections-per-peer", "5000"], files: 64, in: dir)
        defer { kill(daemon.processIdentifier, SIGTERM) }
        #expect(await DaemonBinary.waitForSocket(socketPath, process: daemon), "\(Self.log(dir))")
        let client = DaemonClient(socketPath: socketPath, timeout: 10)
        #expect(try await onThread { try client.send("GET", "/health").status } == 200)

        let held = try await onThread { try (0..<150).map { _ in try RawConnection.unix(socketPath) } }
        #expect(await Self.eventually(30) { Self.log(dir).contains("Too many open files") }, "\(Self.log(dir))")
        #expect(daemon.isRunning)
        for connection in held { connection.close() }
        // Once the connections are gone the daemon accepts again, without a restart.
        let answered = try await Self.eventually(30) {
            try await onThread { (try? client.send("GET", "/health").status) == 200 }
        }
        #expect(answered, "\(Self.log(dir))")
        #expect(daemon.isRunning)
        #expect(Self.log(dir).contains("accepting on \(socketPath) again"), "\(Self.log(dir))")
    }

    /// Opens as many TCP connections as it can as `nobody` and holds them until its stdin closes.
    static let flood = #"""
    import socket, sys
    port, count = int(sys.argv[1]), int(sys.argv[2])
    held = []
    for _ in range(count):
        s = socket.socket()
        s.settimeout(5)
        try:
            s.connect(("127.0.0.1", port))
            held.append(s)
        except OSError:
            s.close()
    print("holding", len(held), flush=True)
    sys.stdin.read()
    """#

    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"),
                   "needs root to switch to nobody, and /usr/bin/python3"))
    func anotherUserCannotMakeTheTCPListenerUnavailableToItsOwner() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let token = "owner-token-\(UUID().uuidString)"
        let tokenFile = dir + "/token"
        #expect(FileManager.default.createFile(atPath: tokenFile, contents: Data(token.utf8),
                                               attributes: [.posixPermissions: 0o600]))
        // The default caps, fitted to 256 descriptors.
        let daemon = try Self.startServe(["--socket", dir + "/d.sock", "--listen", "127.0.0.1:0", "--token-file", tokenFile],
                                         files: 256, in: dir)
        defer { kill(daemon.processIdentifier, SIGTERM) }
        var port: UInt16?
        _ = await Self.eventually(30) {
            let log = Self.log(dir)
            if let range = log.range(of: #"also listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = UInt16(log[range].split(separator: ":").last ?? "")
            }
            return port != nil || !daemon.isRunning
        }
        let listening = try #require(port, "\(Self.log(dir))")

        let script = dir + "/flood.py"
        try Self.flood.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(dir, 0o755)
        chmod(script, 0o644)
        let attacker = Process()
        attacker.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        attacker.arguments = ["--reuid", "nobody", "--regid", "nogroup", "--clear-groups",
                              "/usr/bin/python3", script, String(listening), "2000"]
        let input = Pipe(), output = Pipe()
        attacker.standardInput = input
        attacker.standardOutput = output
        attacker.standardError = FileHandle.nullDevice
        try attacker.run()
        defer {
            try? input.fileHandleForWriting.close()
            attacker.waitUntilExit()
        }
        let report = try await onThread { () -> String in
            var reader = LineReader(handle: output.fileHandleForReading)
            return reader.next() ?? ""
        }
        #expect(report.hasPrefix("holding"), "the flood reports how many connections it holds")

        // While nobody holds what it could, the owner is answered on the same listener.
        let status = try await onThread { () -> String in
            let connection = try RawConnection.tcp(port: listening)
            defer { connection.close() }
            connection.send("GET /health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
            return String(connection.readToEnd(within: 20).text.prefix(12))
        }
        #expect(status == "HTTP/1.1 200", "\(Self.log(dir))")
        #expect(Self.log(dir).contains("refused a connection from uid 65534"), "\(Self.log(dir))")
        #expect(daemon.isRunning)
    }
}
