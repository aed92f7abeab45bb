import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Daemon jobs as a user meets them, through `deskpilot serve` and `deskpilot submit` as real processes on
/// a private Xvfb: each job has its own scratch folder and environment (as `run` makes them), the shipped
/// examples pass, and the `local` dialect runs goals offline.
@Suite(.serialized, .enabled(if: DaemonBinary.hasDaemonCommands, "the daemon commands are not registered in the deskpilot executable"), .ownThread)
struct JobIsolationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var examples: [String] {
        let dir = repository + "/tasks/examples"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// A task that starts the fixture with its log in the job's scratch folder, runs `steps`, and checks
    /// that OK was clicked.
    static func clickOKTask(_ name: String, steps: String) -> String {
        """
        name: \(name)
        screen: 1280x800
        setup:
          - launch: [deskpilot-fixture, --log, "${env:DESKPILOT_SCRATCH}/fixture.log", --geometry, 800x600+0+0]
          - wait_for: {window: {class: DeskpilotFixture}, timeout: 10s}
        steps:
        \(steps)
        checks:
          - file_matches:
              path: ${env:DESKPILOT_SCRATCH}/fixture.log
              regex: '"type":"clicked"[^}]*"label":"OK"'
        """
    }

    /// Clicks nothing: it must fail wherever it runs, whatever ran before.
    static let noOp = clickOKTask("no-op", steps: "  - wait: 100ms")

    /// A running daemon on a private Xvfb of its own, stopped (with its Xvfb) when the test ends.
    struct Daemon {
        let dir: String
        let process: Process
        var environment: [String: String] { Self.environment(dir) }
        /// The daemon's temporary directory is its own, so its job folders are told apart from those of
        /// every other daemon, including an earlier one that had the same process id.
        static func environment(_ dir: String) -> [String: String] { ["XDG_RUNTIME_DIR": dir, "TMPDIR": dir + "/tmp"] }
        var log: String { (try? String(contentsOfFile: dir + "/serve.log", encoding: .utf8)) ?? "" }

        static func start(_ extra: [String] = []) async throws -> Daemon {
            let dir = try DaemonBinary.temporaryDirectory()
            try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
            let process = try DaemonBinary.start(["serve", "--headless", "--screen", "1280x800"] + extra,
                                                 environment: environment(dir), stderrPath: dir + "/serve.log")
            let daemon = Daemon(dir: dir, process: process)
            guard await DaemonBinary.waitForSocket(dir + "/deskpilot/pool.sock", process: process) else {
                daemon.stop()
                throw EnvironmentError("the daemon did not start: \(daemon.log)")
            }
            return daemon
        }

        func submit(_ arguments: [String]) async throws -> (Int32, String, String) {
            try await DaemonBinary.runAsync(["submit"] + arguments, environment: environment)
        }

        /// The job scratch folders this daemon still has.
        var scratchFolders: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/tmp")) ?? []).filter { $0.hasPrefix("deskpilot-job-") }
        }

        /// SIGTERM; the daemon stops its Xvfb and removes its socket by itself. Its folder goes once it has
        /// exited, waited for off the test's thread (blocking one of the two cooperative threads would stall
        /// every other test).
        func stop() {
            kill(process.processIdentifier, SIGTERM)
            let process = self.process, dir = self.dir
            Task.detached {
                _ = await DaemonBinary.waitForExit(process, timeout: 20)
                try? FileManager.default.removeItem(atPath: dir)
            }
        }
    }

    @Test func aNoOpTaskFailsThroughSubmitAfterAPassingJobAsItDoesThroughRun() async throws {
        let daemon = try await Daemon.start(["--no-trace"])
        defer { daemon.stop() }
        let noOp = daemon.dir + "/no-op.yaml"
        try Self.noOp.write(toFile: noOp, atomically: true, encoding: .utf8)

        let (passed, out1, err1) = try await daemon.submit([Self.repository + "/tasks/examples/fixture-form.yaml", "--wait"])
        #expect(passed == 0, "\(out1)\n\(err1)\n\(daemon.log)")
        let (failed, out2, err2) = try await daemon.submit([noOp, "--wait"])
        #expect(failed == 1, "\(out2)\n\(err2)")
        #expect(out2.contains("check failed"), "\(out2)")
        // Nothing of either job is left behind.
        #expect(daemon.scratchFolders.isEmpty, "\(daemon.scratchFolders)")

        let (alone, out3, err3) = try await DaemonBinary.runAsync(["run", noOp, "--headless", "--trace-dir", daemon.dir + "/t"])
        #expect(alone == 1, "\(out3)\n\(err3)")
    }

    @Test func aDaemonStartedWithDESKPILOT_SCRATCHStillGivesEachJobItsOwn() async throws {
        let shared = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: shared) }
        let dir = try DaemonBinary.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        let process = try DaemonBinary.start(["serve", "--headless", "--screen", "1280x800", "--no-trace"],
                                             environment: Daemon.environment(dir).merging(["DESKPILOT_SCRATCH": shared]) { _, b in b },
                                             stderrPath: dir + "/serve.log")
        let daemon = Daemon(dir: dir, process: process)
        defer { daemon.stop() }
        #expect(await DaemonBinary.waitForSocket(dir + "/deskpilot/pool.sock", process: process))
        let task = dir + "/where.yaml"
        try """
            name: where
            setup:
              - run: [sh, -c, 'echo "$DESKPILOT_SCRATCH" > "$DESKPILOT_SCRATCH/where"; touch ${env:DESKPILOT_SCRATCH}/mark']
            steps:
              - wait: 10ms
            checks:
              - file_exists: ${env:DESKPILOT_SCRATCH}/mark
            """.write(toFile: task, atomically: true, encoding: .utf8)
        let (status, out, err) = try await daemon.submit([task, "--wait"])
        #expect(status == 0, "\(out)\n\(err)\n\(daemon.log)")
        #expect(!FileManager.default.fileExists(atPath: shared + "/mark"), "the job used the daemon's DESKPILOT_SCRATCH")
        #expect(daemon.scratchFolders.isEmpty)
    }

    @Test func keepScratchKeepsTheJobsFilesWithItsTrace() async throws {
        let daemon = try await Daemon.start([])
        defer { daemon.stop() }
        let task = daemon.dir + "/keep.yaml"
        try "name: keep\nsetup:\n  - run: [sh, -c, 'echo kept > \"$DESKPILOT_SCRATCH/note\"']\nsteps:\n  - wait: 10ms\n"
            .write(toFile: task, atomically: true, encoding: .utf8)
        let client = DaemonClient(socketPath: daemon.dir + "/deskpilot/pool.sock")
        let traces = daemon.dir + "/traces"
        let (submitted, printed, submitError) = try await daemon.submit([task, "--keep-scratch", "--trace-dir", traces])
        #expect(submitted == 0, "\(submitError)")
        let id = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        var job: JobSnapshot?
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            job = try await onThread { try client.call("GET", "/jobs/\(id)", as: JobSnapshot.self) }
            if job?.state.isFinal == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(job?.state == .succeeded, "\(String(describing: job))")
        let trace = try #require(job?.traceDir)
        #expect((try? String(contentsOfFile: trace + "/scratch/note", encoding: .utf8)) == "kept\n")
        #expect(daemon.scratchFolders.isEmpty)
        // The trace keeps the screen after the last action, and its report embeds its frames.
        #expect(FileManager.default.fileExists(atPath: trace + "/frames/final.png"))
        let events = (try? String(contentsOfFile: trace + "/trace.jsonl", encoding: .utf8)) ?? ""
        #expect(events.contains("\"final_frame\":\"frames/final.png\""), "\(events.suffix(400))")

        // `trace show --json` is one line of the one style; `trace export` writes OSWorld's layout by default.
        let (shown, summary, _) = try await DaemonBinary.runAsync(["trace", "show", trace, "--json"])
        #expect(shown == 0)
        #expect(summary.split(separator: "\n").count == 1)
        let tree = try JSONDecoder().decode(JSONValue.self, from: Data(summary.utf8))
        #expect(JSONStyle.isSnakeCase(tree))
        let out = daemon.dir + "/osworld"
        let (exported, said, err) = try await DaemonBinary.runAsync(["trace", "export", trace, "-o", out])
        #expect(exported == 0, "\(err)")
        #expect(said.contains("score 1.0"))
        #expect((try? String(contentsOfFile: out + "/result.txt", encoding: .utf8)) == "1.0\n")
    }

    @Test func everyExamplePassesThroughSubmitWait() async throws {
        let daemon = try await Daemon.start(["--displays", "2", "--no-trace"])
        defer { daemon.stop() }
        #expect(Self.examples.count >= 4)
        for file in Self.examples {
            let (status, out, err) = try await daemon.submit([Self.repository + "/tasks/examples/" + file, "--wait"])
            #expect(status == 0, "\(file): \(out)\n\(err)")
        }
        #expect(daemon.scratchFolders.isEmpty)
    }

    @Test func aLocalGoalRunsOfflineThroughSubmit() async throws {
        let daemon = try await Daemon.start(["--no-trace"])
        defer { daemon.stop() }
        let task = daemon.dir + "/local.yaml"
        try Self.clickOKTask("local-goal", steps: "  - goal: \"click OK\"").write(toFile: task, atomically: true, encoding: .utf8)
        // No endpoint anywhere: the local dialect plays the model.
        let offline = ["DESKPILOT_ENDPOINT": "", "XDG_CONFIG_HOME": daemon.dir]
        let (status, out, err) = try await DaemonBinary.runAsync(["submit", task, "--dialect", "local", "--wait"],
                                                                 environment: daemon.environment.merging(offline) { a, _ in a })
        #expect(status == 0, "\(out)\n\(err)\n\(daemon.log)")
        // A bare goal too: it needs nothing on the screen to wait.
        let (s2, o2, e2) = try await DaemonBinary.runAsync(["submit", "--goal", "wait 200ms", "--dialect", "local", "--wait"],
                                                           environment: daemon.environment.merging(offline) { a, _ in a })
        #expect(s2 == 0, "\(o2)\n\(e2)")
        // A goal the local dialect cannot read is refused before it is queued (exit 2).
        let (s3, _, e3) = try await DaemonBinary.runAsync(["submit", "--goal", "make me a sandwich", "--dialect", "local"],
                                                          environment: daemon.environment.merging(offline) { a, _ in a })
        #expect(s3 == 2, "\(e3)")
        #expect(e3.contains("cannot understand"), "\(e3)")
    }
}
