import DeskAgent
import DeskCore
import Foundation
import Testing
import DeskTestSupport

@Suite("Trace export to OSWorld", .ownThread)
struct TraceExportTests {
    @Test func exportWritesTrajectoryAndScreenshots() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path, redactor: TraceRunFixture.redactor)
        try TraceRunFixture.record(into: recorder)
        try recorder.finish()
        let out = tmp.url.appendingPathComponent("osworld")
        let utc = try #require(TimeZone(identifier: "UTC"))
        let export = try OSWorldExporter.export(runPath: recorder.directory.path, to: out.path, timeZone: utc)
        #expect(export.lines == 3)
        #expect(export.screenshots == 3)

        let text = try String(contentsOf: out.appendingPathComponent("traj.jsonl"), encoding: .utf8)
        let lines = try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.count == 3)
        let keys: Set<String> = ["step_num", "action_timestamp", "action", "response", "reward", "done", "info",
                                 "screenshot_file"]
        for line in lines {
            #expect(Set(line.keys) == keys)
            let file = try #require(line["screenshot_file"] as? String)
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path))
            let stamp = try #require(line["action_timestamp"] as? String)
            #expect(file == "step_\(line["step_num"] as? Int ?? -1)_\(stamp).png")
            #expect(stamp.count == 21 && stamp.dropFirst(8).first == "@")
            #expect(line["reward"] as? Double == 0)
        }
        #expect(lines[0]["step_num"] as? Int == 1)
        #expect(lines[0]["action"] as? String == "pyautogui.click(10, 20)")
        #expect(lines[0]["done"] as? Bool == false)
        #expect((lines[0]["action_timestamp"] as? String)?.hasPrefix("20250615@150641") == true)
        #expect(lines[1]["action"] as? String == "pyautogui.typewrite('[redacted]\\n')")
        #expect(lines[2]["action"] as? String == "DONE")
        #expect(lines[2]["done"] as? Bool == true)
        #expect((lines[1]["response"] as? String)?.contains("[redacted]") == true)

        // A second export into the same folder is refused rather than mixing two trajectories.
        #expect(throws: InputError.self) {
            try OSWorldExporter.export(runPath: recorder.directory.path, to: out.path)
        }
    }

    @Test func missingOrNonTraceFolderIsAnInputErrorNamingThePath() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let missing = tmp.url.appendingPathComponent("nope").path
        do {
            _ = try TraceReader.summary(missing)
            Issue.record("missing folder must fail")
        } catch let error as InputError {
            #expect(error.description.contains(missing))
            #expect(error.exitStatus == .usage)
        }
        do {
            _ = try OSWorldExporter.export(runPath: tmp.path, to: tmp.url.appendingPathComponent("o").path)
            Issue.record("a folder without trace.jsonl must fail")
        } catch let error as InputError {
            #expect(error.description.contains(tmp.path))
            #expect(error.description.contains("trace.jsonl"))
        }
    }

    @Test(arguments: [
        (ScreenAction.click(at: Point(x: 5, y: 6), button: .left, count: 2), "pyautogui.doubleClick(5, 6)"),
        (.click(at: Point(x: 5, y: 6), button: .right, count: 1), "pyautogui.rightClick(5, 6)"),
        (.drag(from: Point(x: 1, y: 2), to: Point(x: 3, y: 4), button: .left),
         "pyautogui.moveTo(1, 2)\npyautogui.dragTo(3, 4, duration=0.5, button='left')"),
        (.scroll(at: Point(x: 7, y: 8), direction: .down, notches: 3), "pyautogui.scroll(-3, x=7, y=8)"),
        (.key(chord: "ctrl+shift+t"), "pyautogui.hotkey('ctrl', 'shift', 't')"),
        (.key(chord: "Return"), "pyautogui.press('return')"),
        (.type(text: "it's \\ ok"), "pyautogui.typewrite('it\\'s \\\\ ok')"),
        (.wait(seconds: 1), "WAIT"),
        (.infeasible(reason: nil), "FAIL"),
    ])
    func pyautoguiStrings(action: ScreenAction, expected: String) {
        #expect(OSWorldExporter.pyautogui(action) == expected)
    }

    /// As OSWorld's own runner leaves a result folder: `result.txt` with the score, the screen after the last
    /// action as the last step's screenshot, and steps numbered 1, 2, 3… even when a step left no line.
    @Test func exportWritesResultTxtTheFinalFrameAndConsecutiveStepNumbers() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path, redactor: TraceRunFixture.redactor)
        try recorder.record(TraceRunFixture.runStart(recorder.runID))
        let denied = TraceAction(index: 0, action: .key(chord: "ctrl+alt+delete"), description: "key ctrl+alt+delete",
                                 decision: TraceDecision(verdict: .deny), executed: false)
        for (n, actions) in [(1, [denied]), (2, [TraceRunFixture.click]), (3, [TraceRunFixture.click])] {
            let frame = try recorder.writeFrame(step: n, png: TraceRunFixture.png + [UInt8(n)])
            try recorder.record(TraceRunFixture.step(n, frame: frame, annotated: nil, actions: actions))
        }
        let final = try recorder.writeFinalFrame(png: TraceRunFixture.png + [0xFF])
        var end = RunEndEvent(time: Date(), status: .succeeded, steps: 3, durationS: 3)
        end.finalFrame = final
        try recorder.record(.runEnd(end))
        try recorder.finish()

        let out = tmp.url.appendingPathComponent("osworld")
        let export = try OSWorldExporter.export(runPath: recorder.directory.path, to: out.path)
        #expect(export.lines == 2)
        #expect(try String(contentsOf: out.appendingPathComponent("result.txt"), encoding: .utf8) == "1.0\n")
        let lines = try String(contentsOf: export.trajectory, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.map { $0["step_num"] as? Int } == [1, 2])
        // Step 2's click is followed by step 3's frame; step 3's by the screen after it (frames/final.png).
        let shots = try lines.map { try Data(contentsOf: out.appendingPathComponent(try #require($0["screenshot_file"] as? String))) }
        #expect(shots.map { $0.last } == [3, 0xFF])
        #expect((lines[0]["screenshot_file"] as? String)?.hasPrefix("step_1_") == true)

        // A run that failed scores 0.
        let failed = TraceSummary(events: [.runEnd(RunEndEvent(time: Date(), status: .failed, steps: 0, durationS: 0))])
        #expect(OSWorldExporter.score(failed) == 0)
    }

    @Test func timestampHasMicroseconds() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let date = Date(timeIntervalSince1970: 1_750_000_000.123456)
        #expect(OSWorldExporter.timestamp(date, timeZone: utc) == "20250615@150640123456")
    }
}
