import Foundation
import Testing
import DeskTestSupport

/// `deskpilot record` end to end: a "person" (deskpilot's own XTest input, from other processes) acts on a
/// real Xvfb while the recorder watches through RECORD; the task it writes then replays on a fresh headless
/// display — with the window moved — and the fixture's own event log proves the same outcome.
@Suite(.serialized, .ownThread) struct RecordTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A private Xvfb for the recording side (the replay uses `run --headless`).
    final class Display {
        let process = Process()
        let name: String

        init(screen: String = "1280x800x24") throws {
            let pipe = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
            process.arguments = ["-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            // -displayfd writes the display number to fd 3: hand the pipe over as fd 3 through sh.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec /usr/bin/Xvfb -displayfd 3 -screen 0 \(screen) -nolisten tcp 3>&1 >/dev/null 2>&1"]
            process.standardOutput = pipe
            try process.run()
            var number = ""
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, !number.hasSuffix("\n") {
                let byte = pipe.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty { break }
                number += String(decoding: byte, as: UTF8.self)
            }
            let trimmed = number.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw Failure(description: "Xvfb did not start") }
            name = ":" + trimmed
        }

        deinit {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A recorder running in the background, its stderr in a file.
    final class Recorder {
        let process = Process()
        let errPath: String
        let outPath: String

        init(_ arguments: [String], folder: String) throws {
            errPath = folder + "/record.err"
            outPath = folder + "/record.out"
            FileManager.default.createFile(atPath: errPath, contents: nil)
            FileManager.default.createFile(atPath: outPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: CLIRunner.path("deskpilot"))
            process.arguments = ["record"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle(forWritingAtPath: outPath)
            process.standardError = FileHandle(forWritingAtPath: errPath)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if stderr.contains("recording on") { return }
                if !process.isRunning { throw Failure(description: "record exited: \(stderr)") }
                usleep(50_000)
            }
            process.terminate()
            throw Failure(description: "record never started: \(stderr)")
        }

        var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
        var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

        /// A test that failed before stopping the recorder must not leave it (and its desktop) running.
        deinit {
            let pid = process.processIdentifier
            var status: Int32 = 0
            if pid > 0, waitpid(pid, &status, WNOHANG) == 0 {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
            }
        }

        /// Waits for the recorder to finish; its exit status.
        /// Reaps with waitpid itself: Foundation's own reaping of a child started this way was seen to
        /// leave `isRunning` true after the process had exited.
        func wait(timeout: Double = 90) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            let pid = process.processIdentifier
            while Date() < deadline {
                var status: Int32 = 0
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
                if reaped < 0 { return process.isRunning ? nil : process.terminationStatus }
                usleep(50_000)
            }
            kill(pid, SIGKILL)
            return nil
        }
    }

    func act(_ display: Display, _ arguments: [String]) throws {
        let result = try CLIRunner.run(["act"] + arguments + ["--display", display.name])
        guard result.status == 0 else { throw Failure(description: "act \(arguments) failed: \(result.stderr)") }
    }

    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "deskpilot-record-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let fixtureLaunch = "deskpilot-fixture --log \"${env:DESKPILOT_SCRATCH}/fixture.log\" --geometry 800x600+0+0"

    static let fixtureChecks = """
        checks:
          - file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"type":"clicked"[^}]*"label":"OK"'}
          - file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"type":"clicked"[^}]*"label":"Save"'}
          - file_contains: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", text: '"value":"Grüße, wörld €!"'}
          - not: {file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"label":"Cancel"'}}

        """

    @Test func aFixtureDemonstrationReplaysWithTextTargetsAfterTheWindowMoved() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let display = try Display()
        let task = dir + "/form.yaml"
        let recorder = try Recorder(["-o", task, "--display", display.name, "--trace-dir", dir + "/traces",
                                     "--launch", Self.fixtureLaunch], folder: dir)
        // The person clicks beside the labels (on the buttons' faces), types with a typo and fixes it.
        try act(display, ["click", "100", "140"])     // OK
        try act(display, ["click", "480", "140"])     // Save
        try act(display, ["click", "400", "240"])     // the text field (it has no label)
        try act(display, ["type", "Grüße, wörlx"])
        try act(display, ["key", "BackSpace"])
        try act(display, ["type", "d €!"])
        try act(display, ["key", "ctrl+alt+shift+r"])
        #expect(recorder.wait() == 0, "record: \(recorder.stderr)")
        let text = try String(contentsOfFile: task, encoding: .utf8)
        #expect(text.contains("- click: \"OK\""), "\(text)")
        #expect(text.contains("- click: \"Save\""), "\(text)")
        #expect(text.contains("- type: \"Grüße, wörld €!\""), "\(text)")
        #expect(!text.contains("shift+r"), "the stop chord is not part of the task")
        #expect(!text.contains("- click: {at:"), "no root coordinates where words exist: \(text)")
        #expect(recorder.stdout.contains("2 text"), "\(recorder.stdout)")
        // The demonstration's trace is a run folder like any other.
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir + "/traces")
        #expect(runs.count == 1)
        let trace = try String(contentsOfFile: "\(dir)/traces/\(runs[0])/trace.jsonl", encoding: .utf8)
        #expect(trace.contains("\"kind\":\"recording\"") && trace.contains("\"type\":\"run_end\""))
        #expect(FileManager.default.fileExists(atPath: "\(dir)/traces/\(runs[0])/report.html"))

        // Replay on a fresh display with the window somewhere else.
        let moved = text.replacingOccurrences(of: "800x600+0+0", with: "800x600+230+140") + Self.fixtureChecks
        try moved.write(toFile: task, atomically: true, encoding: .utf8)
        let replay = try CLIRunner.run(["run", task, "--headless", "--screen", "1280x800", "--trace-dir", dir + "/replay"],
                                       timeout: 120)
        #expect(replay.status == 0, "replay: \(replay.stdoutText) \(replay.stderr)")
    }

    @Test func textTypedIntoASecretWindowNeverReachesTheTaskOrTheTrace() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let display = try Display()
        let task = dir + "/login.yaml"
        let recorder = try Recorder(["-o", task, "--display", display.name, "--trace-dir", dir + "/traces",
                                     "--secret-window", "class:DeskpilotFixture", "--launch", Self.fixtureLaunch], folder: dir)
        try act(display, ["click", "400", "240"])
        try act(display, ["type", "hunter2-Pässwort"])
        try act(display, ["key", "ctrl+alt+shift+r"])
        #expect(recorder.wait() == 0, "record: \(recorder.stderr)")
        let text = try String(contentsOfFile: task, encoding: .utf8)
        #expect(text.contains("${secret:RECORDED_1}"), "\(text)")
        #expect(recorder.stderr.contains("DESKPILOT_SECRET_RECORDED_1"))
        for file in FileManager.default.enumerator(atPath: dir)?.compactMap({ $0 as? String }) ?? [] {
            guard let data = FileManager.default.contents(atPath: dir + "/" + file) else { continue }
            #expect(!String(decoding: data, as: UTF8.self).contains("hunter2"), "\(file) holds the secret")
        }
        // The reference replays with the secret from the environment.
        let replay = try CLIRunner.run(
            ["run", task, "--headless", "--screen", "1280x800", "--trace-dir", dir + "/replay"],
            environment: ["DESKPILOT_SECRET_RECORDED_1": "hunter2-Pässwort"], timeout: 120)
        #expect(replay.status == 0, "replay: \(replay.stderr)")
    }

    @Test func aDisplayWithoutRecordIsNotNeededToExplainBadOptions() throws {
        let result = try CLIRunner.run(["record", "-o", "/nonexistent-folder/x.yaml", "--display", ":1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent-folder"))
        let badChord = try CLIRunner.run(["record", "-o", "/tmp/x.yaml", "--stop-key", "ctrl+nosuchkey"])
        #expect(badChord.status == 2)
    }
}

/// The same on a real GTK application: galculator's keys are found by their labels (symbols included)
/// or, where OCR reads nothing, by a template saved beside the task; the replay computes the same result,
/// read back from the clipboard the application filled.
@Suite(.serialized, .ownThread) struct RecordGTKTests {
    @Test func aGalculatorDemonstrationComputesTheSameResultOnReplay() throws {
        let tests = RecordTests()
        let dir = try tests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let display = try RecordTests.Display()
        let task = dir + "/calc.yaml"
        let recorder = try RecordTests.Recorder(["-o", task, "--display", display.name, "--trace-dir", dir + "/traces",
                                                 "--launch", "NO_AT_BRIDGE=1 galculator"], folder: dir)
        func locate(_ text: String) throws -> (Int, Int) {
            let deadline = Date().addingTimeInterval(20)
            while true {
                let result = try CLIRunner.run(["locate", text, "--display", display.name])
                let fields = result.stdoutText.split(separator: " ")
                if result.status == 0, fields.count >= 2, let x = Int(fields[0]), let y = Int(fields[1]) { return (x, y) }
                if Date() > deadline { throw RecordTests.Failure(description: "galculator shows no '\(text)': \(result.stderr)") }
                usleep(200_000)
            }
        }
        // The person presses 7 + 8 = on the keypad, then copies the display. `=` is the tall key right of
        // `+`, under `%`, beside the rows of `3` and `+` (its label is a glyph OCR does not read).
        // After each click, a pause of a few of the recorder's screen samples (every 80 ms): it names a click
        // by a sample taken before it, and nothing outside the recorder tells when it took one after the
        // last click's effect.
        for key in ["7", "+", "8"] {
            let (x, y) = try locate(key)
            try tests.act(display, ["click", "\(x)", "\(y)"])
            usleep(300_000)
        }
        let percent = try locate("%"), plus = try locate("+"), three = try locate("3")
        try tests.act(display, ["click", "\(percent.0)", "\((three.1 + plus.1) / 2)"])
        usleep(300_000)
        try tests.act(display, ["key", "ctrl+c"])
        try tests.act(display, ["key", "ctrl+alt+shift+r"])
        #expect(recorder.wait() == 0, "record: \(recorder.stderr)")
        let text = try String(contentsOfFile: task, encoding: .utf8)
        #expect(text.contains("- click: \"7\"") && text.contains("- click: \"8\"") && text.contains("- click: \"+\""), "\(text)")
        #expect(text.contains("- key: \"ctrl+c\""), "\(text)")
        #expect(!text.contains("{at:"), "\(text)")
        let withCheck = text + """
            checks:
              - command: ["sh", "-c", "test \\"$(xclip -o -selection clipboard)\\" = 15"]

            """
        try withCheck.write(toFile: task, atomically: true, encoding: .utf8)
        let replay = try CLIRunner.run(["run", task, "--headless", "--screen", "1280x800", "--trace-dir", dir + "/replay"],
                                       timeout: 120)
        #expect(replay.status == 0, "replay: \(replay.stdoutText) \(replay.stderr)")
    }
}
