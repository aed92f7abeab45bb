import Foundation
import Testing
import DeskTestSupport

/// `deskpilot act` passes the policy engine: `permissive` unless --policy says otherwise; a refused action
/// exits 4 naming the rule, before any input is sent.
@Suite("act under a policy", .ownThread)
struct ActPolicyTests {
    @Test func permissiveRefusesOnlySessionEndingChords() throws {
        let zap = try CLIRunner.run(["act", "key", "ctrl+alt+BackSpace", "--headless"])
        #expect(zap.status == 4, "\(zap.stderr)")
        #expect(zap.stderr.contains("keys.deny[0]") && zap.stderr.contains("'permissive'"), "\(zap.stderr)")
        // ctrl+alt+Delete is only refused by the default policy.
        let delete = try CLIRunner.run(["act", "key", "ctrl+alt+Delete", "--headless"])
        #expect(delete.status == 0, "\(delete.stderr)")
        let strict = try CLIRunner.run(["act", "key", "ctrl+alt+Delete", "--headless", "--policy", "default"])
        #expect(strict.status == 4, "\(strict.stderr)")
        #expect(strict.stderr.contains("keys.deny"))
    }

    @Test func typedTextAndRegionsAreJudged() throws {
        let typed = try CLIRunner.run(["act", "type", "ｓｕｄｏ reboot", "--headless", "--policy", "default"])
        #expect(typed.status == 4, "\(typed.stderr)")
        #expect(typed.stderr.contains("text.deny[1]"), "\(typed.stderr)")

        let dir = NSTemporaryDirectory() + "deskpilot-actpolicy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = dir + "/corner.yaml"
        try "name: corner\nregions:\n  deny:\n    - [0, 0, 100, 100]\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let inside = try CLIRunner.run(["act", "click", "50", "50", "--headless", "--policy", policy])
        #expect(inside.status == 4, "\(inside.stderr)")
        #expect(inside.stderr.contains("regions.deny[0]"))
        let outside = try CLIRunner.run(["act", "click", "150", "50", "--headless", "--policy", policy])
        #expect(outside.status == 0, "\(outside.stderr)")

        let broken = dir + "/broken.yaml"
        try "regions:\n  deny: [[0, 0]]\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["act", "click", "150", "50", "--headless", "--policy", broken])
        #expect(bad.status == 2, "\(bad.stderr)")
        #expect(bad.stderr.contains("broken.yaml:"), "\(bad.stderr)")
    }

    /// A private Xvfb the act commands share (each `--headless` would get its own).
    final class Display: Sendable {
        let name: String
        let process: Process

        init() throws {
            for _ in 0..<20 {
                let n = Int.random(in: 200...899)
                if XvfbDisplayNumbers.isTaken(n) { continue }
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
                p.arguments = [":\(n)", "-screen", "0", "1024x768x24", "-nolisten", "tcp", "-noreset"]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                // Generous: on a loaded machine an Xvfb can take many seconds to listen.
                let end = Date().addingTimeInterval(30)
                while p.isRunning && !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") && Date() < end {
                    usleep(10_000)
                }
                if p.isRunning && XServerProbe.waitUntilServing(display: n) {
                    name = ":\(n)"
                    process = p
                    return
                }
                if p.isRunning {
                    kill(p.processIdentifier, SIGKILL)
                    p.waitUntilExit()
                }
            }
            throw CLIFailure(description: "cannot start Xvfb: 20 display numbers in 200...899 were taken or their Xvfb exited")
        }

        /// SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM.
        func stop() {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    struct CLIFailure: Error, CustomStringConvertible { var description: String }

    @Test func modifiersHeldByEarlierCommandsArePartOfTheChord() throws {
        let display = try Display()
        defer { display.stop() }
        let on = ["--display", display.name]
        #expect(try CLIRunner.run(["act", "press", "ctrl"] + on).status == 0)
        #expect(try CLIRunner.run(["act", "press", "alt"] + on).status == 0)
        let zap = try CLIRunner.run(["act", "key", "BackSpace"] + on)
        #expect(zap.status == 4, "\(zap.stderr)")
        #expect(zap.stderr.contains("keys.deny[0]"), "\(zap.stderr)")
        #expect(try CLIRunner.run(["act", "release", "alt"] + on).status == 0)
        #expect(try CLIRunner.run(["act", "release", "ctrl"] + on).status == 0)
        let plain = try CLIRunner.run(["act", "key", "BackSpace"] + on)
        #expect(plain.status == 0, "\(plain.stderr)")
    }

    @Test func focusingARefusedWindowIsRefused() throws {
        let display = try Display()
        defer { display.stop() }
        let log = NSTemporaryDirectory() + "deskpilot-actpolicy-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let fixture = Process()
        fixture.executableURL = URL(fileURLWithPath: CLIRunner.path("deskpilot-fixture"))
        fixture.arguments = ["--log", log, "--class", "pinentry", "--geometry", "300x200+10+10"]
        fixture.environment = ["DISPLAY": display.name]
        fixture.standardOutput = FileHandle.nullDevice
        fixture.standardError = FileHandle.nullDevice
        try fixture.run()
        defer {
            kill(fixture.processIdentifier, SIGKILL)
            fixture.waitUntilExit()
        }
        let end = Date().addingTimeInterval(10)
        while Date() < end && !((try? String(contentsOfFile: log, encoding: .utf8))?.contains("\"ready\"") ?? false) {
            usleep(20_000)
        }
        let refused = try CLIRunner.run(["act", "focus", "class:pinentry", "--display", display.name, "--policy", "default"])
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("windows.deny[0]"), "\(refused.stderr)")
        let allowed = try CLIRunner.run(["act", "focus", "class:pinentry", "--display", display.name])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }
}
