import Foundation
import Testing
import DeskTestSupport

/// SIGTERM and SIGKILL in the middle of a headless run: exit 130 with a closed trace, or (SIGKILL) no Xvfb
/// left behind and a trace whose complete lines all parse.
@Suite(.ownThread) struct CLISignalTests {
    static let task = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/long-wait.yaml").path

    /// Starts `deskpilot run long-wait.yaml --headless` and waits until its Xvfb is up and a step was traced.
    func startRun(screen: String, traceDir: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIRunner.path("deskpilot"))
        p.arguments = ["run", Self.task, "--headless", "--screen", screen, "--trace-dir", traceDir, "-q"]
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

    struct CLIFailure: Error, CustomStringConvertible { var description: String }

    @Test func sigtermStopsTheRunWithExit130AndLeavesNothingBehind() throws {
        let screen = CLIRunner.uniqueScreen()
        let dir = NSTemporaryDirectory() + "deskpilot-sigterm-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try startRun(screen: screen, traceDir: dir)
        #expect(!CLIRunner.processes(containing: "\(screen)x24").isEmpty)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(CLIRunner.processes(containing: "\(screen)x24").isEmpty)
        let text = try String(contentsOfFile: try #require(traceFile(in: dir)), encoding: .utf8)
        let last = try #require(text.split(separator: "\n").last)
        #expect(last.contains("\"type\":\"run_end\"") && last.contains("\"stopped\""))
    }

    @Test func sigkillTakesTheXvfbDownAndLeavesAReadableTrace() throws {
        let screen = CLIRunner.uniqueScreen()
        let dir = NSTemporaryDirectory() + "deskpilot-sigkill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try startRun(screen: screen, traceDir: dir)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        // The parent-death signal ends Xvfb; give the kernel a moment to deliver it.
        let deadline = Date().addingTimeInterval(5)
        while !CLIRunner.processes(containing: "\(screen)x24").isEmpty && Date() < deadline { usleep(50_000) }
        #expect(CLIRunner.processes(containing: "\(screen)x24").isEmpty)
        let trace = try #require(traceFile(in: dir))
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        for line in text.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "unparsable line: \(line)")
        }
        let show = try CLIRunner.run(["trace", "show", URL(fileURLWithPath: trace).deletingLastPathComponent().path])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdoutText.contains("interrupted"))
    }
}
