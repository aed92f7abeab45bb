import Foundation
import Testing
import DeskTestSupport

/// SIGTERM and SIGKILL in the middle of a headless run: exit 130 with a closed trace, or (SIGKILL) no Xvfb
/// left behind and a trace whose complete lines all parse.
@Suite(.ownThread) struct CLISignalTests {
    static let task = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/long-wait.yaml").path

    /// Starts `deskpilot run long-wait.yaml --headless` and waits until its Xvfb is up and a step was traced.
    func startRun(screen: String, traceDir: String, temporaryDirectory: String? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIRunner.path("deskpilot"))
        p.arguments = ["run", Self.task, "--headless", "--screen", screen, "--trace-dir", traceDir, "-q"]
        if let temporaryDirectory {
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = temporaryDirectory
            p.environment = environment
        }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let trace = traceFile(in: traceDir),
               let text = try? String(contentsOfFile: trace, encoding: .utf8), text.contains("\"type\":\"step\"") {
                return p
            }
            usleep(50_000)
        }
        p.terminate()
        throw CLIFailure(description: "the run never recorded a step")
    }

    func traceFile(in dir: String) -> String? {
        guard let runs = try? FileManager.default.contentsOfDirectory(atPath: dir), let run = runs.first else { return nil }
        return "\(dir)/\(run)/trace.jsonl"
    }

    /// What a run left in `temporary` but the per-user state folder (`deskpilot-<uid>`: the typed streams and
    /// the held-keys journal the next `act` reads, kept on purpose when `XDG_RUNTIME_DIR` is unset).
    static func runFolders(in temporary: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).filter { $0 != "deskpilot-\(getuid())" }
    }

    struct CLIFailure: Error, CustomStringConvertible { var description: String }

    @Test func sigtermStopsTheRunWithExit130AndLeavesNothingBehind() throws {
        let screen = CLIRunner.uniqueScreen()
        let dir = NSTemporaryDirectory() + "deskpilot-sigterm-\(UUID().uuidString)"
        let temporary = dir + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try startRun(screen: screen, traceDir: dir + "/traces", temporaryDirectory: temporary)
        #expect(!CLIRunner.processes(containing: "\(screen)x24").isEmpty)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(CLIRunner.processes(containing: "\(screen)x24").isEmpty)
        let left = Self.runFolders(in: temporary)
        #expect(left.isEmpty, "a stopped run left \(left) in its TMPDIR")
        let text = try String(contentsOfFile: try #require(traceFile(in: dir + "/traces")), encoding: .utf8)
        let last = try #require(text.split(separator: "\n").last)
        #expect(last.contains("\"type\":\"run_end\"") && last.contains("\"stopped\""))
    }

    @Test func sigkillTakesTheXvfbDownAndLeavesAReadableTrace() throws {
        let screen = CLIRunner.uniqueScreen()
        let dir = NSTemporaryDirectory() + "deskpilot-sigkill-\(UUID().uuidString)"
        // The run's own temporary directory, to see that the desktop's runtime folder and the run's scratch
        // folder go with it.
        let temporary = dir + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try startRun(screen: screen, traceDir: dir + "/traces", temporaryDirectory: temporary)
        let made = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        #expect(made.contains { $0.hasPrefix("deskpilot-desktop-") } && made.contains { $0.hasPrefix("deskpilot-run-") },
                "the run made no desktop or scratch folder in its TMPDIR: \(made)")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        // The parent-death signal ends Xvfb; give the kernel a moment to deliver it.
        let deadline = Date().addingTimeInterval(5)
        while !CLIRunner.processes(containing: "\(screen)x24").isEmpty && Date() < deadline { usleep(50_000) }
        #expect(CLIRunner.processes(containing: "\(screen)x24").isEmpty)
        // The reaper removes the folders after it has ended the desktop's processes.
        func left() -> [String] { Self.runFolders(in: temporary) }
        while !left().isEmpty && Date() < deadline.addingTimeInterval(5) { usleep(50_000) }
        #expect(left().isEmpty, "a killed run left \(left()) in its TMPDIR")
        let trace = try #require(traceFile(in: dir + "/traces"))
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        for line in text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "unparsable line: \(line)")
        }
        let show = try CLIRunner.run(["trace", "show", URL(fileURLWithPath: trace).deletingLastPathComponent().path])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdoutText.contains("interrupted"))
    }
}
