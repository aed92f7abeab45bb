import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// The kill hotkey and SIGTERM (what `deskpilot stop` sends a standalone run) stopping deskpilot processes
/// in the middle of typing a long text into the fixture. Each test owns its Xvfb; the hotkey is pressed with
/// XTest from the test. What is asserted is the state left behind — the text stopped short, no key down,
/// the keymap as before (the text needs spare keycodes, so an unrestored binding would show), exit 130 and
/// a closed trace — never how long anything took.
@Suite("Kill hotkey stops deskpilot", .serialized, .ownThread)
struct KillHotkeyStopTests {
    /// Lowercase only, so typing never holds Shift (the test's own chord uses it), and mostly letters the
    /// US layout lacks, so typing rebinds spare keycodes all the time.
    static let longText: String = {
        let letters = Array("абвгдежзийклмнопрстуфхцчшщыэюяαβγδεζηθικλμνξοπρστυφχψω")
        return String((0..<3000).map { i in i % 7 == 6 ? " " : letters[(i * 5) % letters.count] })
    }()

    /// A display, the fixture focused on it, and the keymap before anything ran.
    final class Bed: Sendable {
        let session: XvfbSession
        let display: X11Display
        let fixture: FixtureApp
        let injector: InputInjector
        let keymapBefore: KeymapSnapshot
        let dir: String

        init() throws {
            session = try XvfbSession.start(screen: Size(width: 1024, height: 768))
            display = try X11Display(name: session.displayName)
            fixture = try FixtureApp(displayName: session.displayName, geometry: Rect(x: 0, y: 0, width: 800, height: 600))
            keymapBefore = try KeymapSnapshot.capture(display)
            injector = try InputInjector(display: display)
            try injector.focus(fixture.window)
            dir = NSTemporaryDirectory() + "deskpilot-killhotkey-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }

        func cleanup() {
            fixture.stop()
            session.stop()
            try? FileManager.default.removeItem(atPath: dir)
        }

        /// Starts deskpilot with `arguments` on this display.
        func deskpilot(_ arguments: [String]) throws -> ChildProcess {
            var env = ProcessInfo.processInfo.environment
            env["DISPLAY"] = session.displayName
            env["XDG_RUNTIME_DIR"] = dir
            return try ChildProcess.spawn([try KillHotkeyStopTests.deskpilotPath()] + arguments, environment: env,
                                          stdout: dir + "/stdout", stderr: dir + "/stderr")
        }

        /// Waits until the fixture's field holds some text (typing is under way).
        func waitForTyping() throws {
            try fixture.waitFor(type: "text", timeout: 30, where: { ($0.string("value") ?? "").count >= 3 })
        }

        var stderr: String { (try? String(contentsOfFile: dir + "/stderr", encoding: .utf8)) ?? "" }

        /// What the stopped process left: the text, keys down, keymap differences.
        func leftovers() throws -> (text: String, keys: [Int], keymap: [Int]) {
            // The process has exited: after a mark, the fixture logged everything it sent.
            try fixture.barrier()
            let text = fixture.lastText ?? ""
            let keymap = try KeymapSnapshot.capture(display).differingKeycodes(from: keymapBefore)
            return (text, display.pressedKeycodes(), keymap)
        }
    }

    /// `deskpilot` next to the fixture binary (both are products of this package's build).
    static func deskpilotPath() throws -> String {
        let path = URL(fileURLWithPath: try FixtureApp.binaryPath()).deletingLastPathComponent()
            .appendingPathComponent("deskpilot").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw FixtureApp.NotFound(description: "deskpilot not found at \(path): build it (swift build --product deskpilot)")
        }
        return path
    }

    /// True when `typed` is what typing `full` for a while produces: a subsequence of a prefix of it (the few
    /// characters typed while the test held ctrl+alt+shift for the hotkey arrive as shortcuts, not text).
    static func isStoppedShort(_ typed: String, of full: String) -> Bool {
        guard !typed.isEmpty, typed.count < full.count else { return false }
        var rest = Substring(full.prefix(typed.count + 32))
        for ch in typed {
            guard let i = rest.firstIndex(of: ch) else { return false }
            rest = rest[rest.index(after: i)...]
        }
        return true
    }

    @Test func theHotkeyStopsActTypingAndLeavesNothingBehind() throws {
        let bed = try Bed()
        defer { bed.cleanup() }
        let process = try bed.deskpilot(["act", "type", "--delay", "2ms", Self.longText])
        defer { process.terminate(grace: 1) }
        try bed.waitForTyping()
        try bed.injector.key("ctrl+alt+shift+Escape")
        let status = process.wait(timeout: 20)
        #expect(status == 130, "stderr: \(bed.stderr)")
        let left = try bed.leftovers()
        #expect(Self.isStoppedShort(left.text, of: Self.longText), "typed \(left.text.count) characters: \(left.text.prefix(80))")
        #expect(left.keys.isEmpty, "keys still down: \(left.keys)")
        #expect(left.keymap.isEmpty, "keymap differs at \(left.keymap)")
    }

    /// A task file whose one step types the long text.
    static func typingTask(in dir: String) throws -> String {
        let path = dir + "/long-type.yaml"
        let yaml = """
            name: long-type
            steps:
              - type: "\(longText)"
            checks:
              - command: {run: "true"}
            """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The last line of the run's trace.
    static func lastTraceLine(in traceDir: String) throws -> String {
        let runs = try FileManager.default.contentsOfDirectory(atPath: traceDir)
        let run = try #require(runs.first)
        let text = try String(contentsOfFile: "\(traceDir)/\(run)/trace.jsonl", encoding: .utf8)
        return String(try #require(text.split(separator: "\n").last))
    }

    @Test(arguments: ["hotkey", "SIGTERM"])
    func aRunTypingALongTextIsStopped(by means: String) throws {
        let bed = try Bed()
        defer { bed.cleanup() }
        let task = try Self.typingTask(in: bed.dir)
        let traces = bed.dir + "/traces"
        let process = try bed.deskpilot(["run", task, "--display", bed.session.displayName, "--trace-dir", traces, "-q"])
        defer { process.terminate(grace: 1) }
        try bed.waitForTyping()
        // SIGUSR1 is how `deskpilot resume` reaches a standalone run: it must never end one. A process the
        // signal killed types nothing more (only the few keys it had already flushed can still arrive), so
        // twenty characters beyond what the fixture logged by a mark after the signal prove the run lived on.
        kill(process.pid, SIGUSR1)
        try bed.fixture.barrier()
        let typedBefore = (bed.fixture.lastText ?? "").count
        try bed.fixture.waitFor(type: "text", timeout: 30, where: { ($0.string("value") ?? "").count >= typedBefore + 20 })
        #expect(process.isRunning)
        if means == "hotkey" {
            try bed.injector.key("ctrl+alt+shift+Escape")
        } else {
            kill(process.pid, SIGTERM)
        }
        let status = process.wait(timeout: 20)
        #expect(status == 130, "stderr: \(bed.stderr)")
        let left = try bed.leftovers()
        #expect(Self.isStoppedShort(left.text, of: Self.longText), "typed \(left.text.count) characters")
        #expect(left.keys.isEmpty, "keys still down: \(left.keys)")
        #expect(left.keymap.isEmpty, "keymap differs at \(left.keymap)")
        let last = try Self.lastTraceLine(in: traces)
        #expect(last.contains("\"type\":\"run_end\"") && last.contains("\"stopped\"") && last.contains("130"), "\(last)")
        if means == "hotkey" { #expect(last.contains("kill hotkey"), "\(last)") }
    }
}
