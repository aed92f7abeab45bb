import Foundation
import Testing
import DeskTestSupport

/// A task's `launch:` that cannot start or dies at once fails the setup with what went wrong — a missing
/// program before anything runs (exit 2), an early exit with its status and last line of output (exit 1).
@Suite(.ownThread) struct CLILaunchTests {
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    @Test func aMissingProgramIsAUsageErrorBeforeAnythingRuns() throws {
        let scratch = NSTemporaryDirectory() + "deskpilot-launch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let r = try CLIRunner.run(["run", Self.fixture("launch-missing.yaml"), "--headless", "--trace-dir", scratch + "/traces"],
                                  environment: ["DESKPILOT_SCRATCH": scratch])
        #expect(r.status == 2, "\(r.status) \(r.stderr)")
        let all = r.stderr + r.stdoutText
        #expect(all.contains("cannot start 'deskpilot-no-such-program': not found in PATH"), "\(all)")
        #expect(all.contains("launch-missing.yaml:6:"), "the message names the line: \(all)")
        #expect(!FileManager.default.fileExists(atPath: scratch + "/setup-ran"), "an earlier setup command ran")
    }

    @Test func aProgramThatExitsAtOnceFailsTheSetupWithItsStatusAndLastLine() throws {
        let traces = NSTemporaryDirectory() + "deskpilot-launch-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: traces) }
        let r = try CLIRunner.run(["run", Self.fixture("launch-exits.yaml"), "--headless", "--trace-dir", traces])
        #expect(r.status == 1, "\(r.status) \(r.stderr)")
        let all = r.stderr + r.stdoutText
        #expect(all.contains("exited with status 7 at once: cannot open display: bogus"), "\(all)")
    }

    @Test func anEarlyExitEndsAWindowWaitAtOnce() throws {
        // The wait's timeout is 10 minutes: if the failure waited for it, the runner would kill the run after
        // 2 minutes and the status would not be 1.
        let traces = NSTemporaryDirectory() + "deskpilot-launch-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: traces) }
        let r = try CLIRunner.run(["run", Self.fixture("launch-exits-waiting.yaml"), "--headless", "--trace-dir", traces], timeout: 120)
        #expect(r.status == 1, "\(r.status) \(r.stderr)")
        let all = r.stderr + r.stdoutText
        #expect(all.contains("exited with status 3 at once: Gtk-WARNING: cannot open display"), "\(all)")
    }
}
