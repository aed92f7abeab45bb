import DeskCore
import Foundation
import Synchronization
import Testing
import DeskTestSupport

/// Local grounding end to end: `text:` targets and screen-text checks on the fixture app, the offline
/// `local` dialect, `deskpilot stop` reaching a standalone run, and a run whose Xvfb dies.
@Suite(.serialized, .enabled(if: EndToEnd.available, "needs Xvfb and the built deskpilot binaries"), .ownThread)
struct EndToEndLocalTests {
    static let fixtureSetup = """
        screen: 1280x800
        setup:
          - launch: [deskpilot-fixture, --log, "${env:DESKPILOT_SCRATCH}/fixture.log", --geometry, 800x600+0+0]
          - wait_for: {window: {class: DeskpilotFixture}}
          - wait_for: {text: Cancel, timeout: 15s}
        """

    @Test func textTargetsDriveTheFixtureByItsLabels() async throws {
        let task = try EndToEndTaskTests.writeTask("""
            name: text-targets
            \(Self.fixtureSetup)
            steps:
              - click: OK
              - click: {text: Save}
              - wait_for: {text: Open, timeout: 5s}
            checks:
              - file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"type":"clicked"[^}]*"label":"OK"'}
              - file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"type":"clicked"[^}]*"label":"Save"'}
              - not: {file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"label":"Cancel"'}}
              - screen_contains: Cancel
              - not: {screen_contains: Xylophone}
            """)
        let traces = try temporaryFolder()
        let result = try await EndToEnd.run(["run", task, "--headless", "--trace-dir", traces])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("check passed: screen_text \"Cancel\""))
        let (_, events) = try EndToEnd.trace(in: traces)
        let clicks = events.compactMap { if case .step(let s) = $0 { s.actions.first?.action } else { nil } }
        #expect(clicks.count == 2)
    }

    @Test func aScreenTextCheckFailsNamingWhatWasSeen() async throws {
        let task = try EndToEndTaskTests.writeTask("""
            name: text-check-fails
            \(Self.fixtureSetup)
            steps:
              - wait: 10ms
            checks:
              - screen_contains: Xylophone
            """)
        let result = try await EndToEnd.run(["run", task, "--headless", "--trace-dir", try temporaryFolder()])
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("\"Xylophone\" is not on the screen"))
        #expect(result.stdout.contains("closest texts seen"))
    }

    @Test func theClosestTextsOfAFailingCheckHideASecretOnTheScreen() async throws {
        // The fixture shows the secret as a button label; the check asks for a text close to it, so OCR's
        // closest texts name the secret, and they must name it redacted.
        let secret = "Marmalade"
        let task = try EndToEndTaskTests.writeTask("""
            name: closest-texts-redacted
            screen: 1280x800
            setup:
              - launch: [deskpilot-fixture, --log, "${env:DESKPILOT_SCRATCH}/fixture.log", --geometry, 800x600+0+0,
                         --buttons, "OK,Cancel,${secret:LABEL}"]
              - wait_for: {window: {class: DeskpilotFixture}}
              - wait_for: {text: Cancel, timeout: 15s}
            steps:
              - wait: 10ms
            checks:
              - screen_contains: Marmoset Sandwich
            """)
        let traces = try temporaryFolder()
        let result = try await EndToEnd.run(["run", task, "--headless", "--trace-dir", traces],
                                            environment: ["DESKPILOT_SECRET_LABEL": secret])
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let line = result.stdout.split(separator: "\n").first { $0.contains("closest texts seen") } ?? ""
        #expect(line.contains("'[redacted]'"), "stdout: \(result.stdout)")
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let files = FileManager.default.enumerator(atPath: traces)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".jsonl") || file.hasSuffix(".html") || file.hasSuffix(".json") {
            let text = (try? String(contentsOfFile: traces + "/" + file, encoding: .utf8)) ?? ""
            #expect(!text.contains(secret), "\(file) holds the secret")
        }
    }

    @Test func theLocalDialectRunsOfflineThroughTheLoop() async throws {
        let xvfb = try EndToEnd.Xvfb()
        defer { xvfb.stop() }
        let log = try temporaryFolder() + "/fixture.log"
        let fixture = try EndToEnd.Fixture(display: xvfb.display, log: log)
        defer { fixture.stop() }
        let traces = try temporaryFolder()
        let result = try await EndToEnd.run(["agent", "--display", xvfb.display, "--dialect", "local",
                                             "click Save, then type 'hello world' and press ctrl+s",
                                             "--trace-dir", traces])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let events = fixture.events
        #expect(events.contains("\"type\":\"clicked\"") && events.contains("\"label\":\"Save\""))
        #expect(events.contains("\"value\":\"hello world\""))
        let (_, trace) = try EndToEnd.trace(in: traces)
        let steps = trace.compactMap { if case .step(let s) = $0 { s } else { nil } }
        #expect(steps.map { $0.actions.first?.action?.kind.rawValue } == ["click", "type", "key", "finished"])
        #expect(steps.allSatisfy { $0.thought != nil && $0.actions.allSatisfy { $0.decision != nil } })
        guard case .runStart(let start)? = trace.first else {
            Issue.record("no run_start")
            return
        }
        #expect(start.dialect == "local")
    }

    @Test func aLocalGoalThatDoesNotParseIsAUsageError() async throws {
        let result = try await EndToEnd.run(["agent", "--dialect", "local", "click Save, then frobnicate the widget",
                                             "--trace-dir", try temporaryFolder()],
                                            environment: ["DISPLAY": ":9999"])
        #expect(result.status == 2, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stderr.contains("step 2"))
        #expect(result.stderr.contains("frobnicate the widget"))
    }

    @Test func stopWithoutAnIDStopsAStandaloneRunOnThisDisplay() async throws {
        let runtime = try temporaryFolder()
        let task = try EndToEndTaskTests.writeTask("""
            name: long-wait
            steps:
              - wait: 120s
            """)
        let stopStatus = LockedBox<Int32?>(nil)
        let traces = try temporaryFolder()
        let result = try await EndToEnd.run(["run", task, "--headless", "--trace-dir", traces],
                                            environment: ["XDG_RUNTIME_DIR": runtime], timeout: 60) { pid in
            // The run registers itself (with its private display) once the display is open.
            let entry = runtime + "/deskpilot/runs/\(pid).json"
            let deadline = Date().addingTimeInterval(20)
            var display: String?
            while display == nil && Date() < deadline {
                if let data = FileManager.default.contents(atPath: entry),
                   let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                    display = object["display"] as? String
                }
                if display == nil { try? await Task.sleep(for: .milliseconds(50)) }
            }
            guard let display else { return }
            // Stop it once it is under way: its trace has begun.
            while !Self.trace(under: traces, contains: "\"type\":\"run_start\"") && Date() < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            var env = ProcessInfo.processInfo.environment
            env["DISPLAY"] = display
            env["XDG_RUNTIME_DIR"] = runtime
            guard let stop = try? EndToEnd.Spawned([EndToEnd.deskpilot, "stop"], environment: env) else { return }
            let end = Date().addingTimeInterval(20)
            while stop.isRunning && Date() < end { try? await Task.sleep(for: .milliseconds(20)) }
            stopStatus.value = stop.poll()
        }
        #expect(stopStatus.value == 0)
        #expect(result.status == 130, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        // The registration is gone with the run.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: runtime + "/deskpilot/runs")) ?? []
        #expect(left.isEmpty)
    }

    @Test func aRunWhoseXvfbDiesExits3() async throws {
        // A screen size no other test uses finds this run's Xvfb among all of them.
        let height = Int.random(in: 601...799)
        let size = "1111x\(height)"
        var yaml = "name: xvfb-dies\nscreen: \(size)\nsteps:\n"
        for _ in 0..<2000 { yaml += "  - click: [10, 10]\n" }
        let task = try EndToEndTaskTests.writeTask(yaml)
        let killedAt = LockedBox<Date?>(nil)
        let traces = try temporaryFolder()
        let result = try await EndToEnd.run(["run", task, "--headless", "-q", "--trace-dir", traces],
                                            timeout: 60) { _ in
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let pid = Self.xvfb(withScreen: size) {
                    // Kill it in the middle of the clicks: once the trace holds the first step.
                    while !Self.trace(under: traces, contains: "\"type\":\"step\"") && Date() < deadline {
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                    kill(pid, SIGKILL)
                    killedAt.value = Date()
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        _ = try #require(killedAt.value, "the run's Xvfb was never found")
        #expect(result.status == 3, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("environment_error"))
    }

    /// True when the trace of the run under `traceDir` holds `text` (each event is written as it happens).
    static func trace(under traceDir: String, contains text: String) -> Bool {
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: traceDir)) ?? []
        return runs.contains { run in
            (try? String(contentsOfFile: traceDir + "/" + run + "/trace.jsonl", encoding: .utf8))?.contains(text) ?? false
        }
    }

    /// The pid of the Xvfb started with `-screen 0 <size>x24`.
    static func xvfb(withScreen size: String) -> pid_t? {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in pids {
            guard let pid = pid_t(name),
                  let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { continue }
            let argv = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if argv.first.map({ ($0 as NSString).lastPathComponent == "Xvfb" }) == true, argv.contains("\(size)x24") {
                return pid
            }
        }
        return nil
    }
}

/// A value shared between a test and the closure it hands to a running child.
final class LockedBox<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>
    init(_ value: Value) { stored = Mutex(value) }
    var value: Value {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
