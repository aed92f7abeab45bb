import DeskAgent
import DeskCore
import Foundation
import Testing
import DeskTestSupport

@Suite("Trace recorder", .ownThread)
struct TraceRecorderTests {
    @Test func writesAValidTraceFolder() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let parent = tmp.url.appendingPathComponent("traces/nested").path
        let recorder = try TraceRecorder(parent: parent, redactor: TraceRunFixture.redactor)
        #expect(recorder.directory.lastPathComponent == recorder.runID.rawValue)
        try TraceRunFixture.record(into: recorder)
        let result = try recorder.finish()
        #expect(result.status == "succeeded")
        #expect(result.steps == 2)

        let dir = recorder.directory
        let fm = FileManager.default
        let text = try String(contentsOf: dir.appendingPathComponent("trace.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(text.hasSuffix("\n"))
        for line in lines {
            #expect(throws: Never.self) { try TraceCoding.event(fromLine: String(line)) }
        }
        for n in ["0001", "0002"] {
            #expect(try Data(contentsOf: dir.appendingPathComponent("frames/\(n).png")) == Data(TraceRunFixture.png))
            #expect(fm.fileExists(atPath: dir.appendingPathComponent("annotated/\(n).png").path))
        }
        let resultJSON = try Data(contentsOf: dir.appendingPathComponent("result.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: resultJSON) as? [String: Any])
        #expect(object["status"] as? String == "succeeded")
        #expect(object["exit_code"] as? Int == 0)
        #expect(object["run_id"] as? String == recorder.runID.rawValue)
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("report.html").path))
    }

    /// Traces hold screenshots and typed text: their folders are 0700 and their files 0600 (issue 15, item 8).
    @Test func traceFoldersAndFilesArePrivate() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path, redactor: TraceRunFixture.redactor)
        try TraceRunFixture.record(into: recorder)
        try recorder.finish()
        let fm = FileManager.default
        func mode(_ relative: String) throws -> Int {
            try fm.attributesOfItem(atPath: recorder.directory.appendingPathComponent(relative).path)[.posixPermissions] as? Int ?? -1
        }
        for folder in ["", "frames", "annotated"] { #expect(try mode(folder) == 0o700, "\(folder)") }
        for file in ["trace.jsonl", "result.json", "report.html", "frames/0001.png", "annotated/0001.png"] {
            #expect(try mode(file) == 0o600, "\(file)")
        }
    }

    /// A huge model answer is stored once per step, cut with a note (issue 15, item 6).
    @Test func hugeAnswersAreCutWithANote() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path)
        let answer = String(repeating: "A", count: 3_000_000)
        try recorder.record(TraceRunFixture.runStart(recorder.runID))
        try recorder.record(.step(StepEvent(step: 1, time: Date(), answer: answer, thought: answer, actions: [])))
        try recorder.finish()
        let size = try FileManager.default.attributesOfItem(atPath: recorder.directory.appendingPathComponent("trace.jsonl").path)[.size] as? Int ?? 0
        #expect(size < 100_000, "trace.jsonl is \(size) bytes")
        let report = try FileManager.default.attributesOfItem(atPath: recorder.directory.appendingPathComponent("report.html").path)[.size] as? Int ?? 0
        #expect(report < 200_000, "report.html is \(report) bytes")
        let log = try TraceReader.read(recorder.directory.path)
        guard case .step(let s) = log.events[1] else { Issue.record("no step"); return }
        #expect(s.answer?.hasSuffix("[… truncated: \(3_000_000 - TraceEvent.maximumModelText) more characters]") == true)
        #expect(s.thought == nil)
    }

    @Test func secretNeverReachesAnyFile() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path, redactor: TraceRunFixture.redactor)
        let events = try TraceRunFixture.record(into: recorder)
        try recorder.finish()
        // The fixture must carry the secret in answer, thought, typed text and reason for this to mean anything.
        let raw = try events.map { try TraceCoding.line($0) }.joined(separator: "\n")
        #expect(raw.components(separatedBy: TraceRunFixture.secret).count > 6)
        for name in ["trace.jsonl", "result.json", "report.html"] {
            let text = try String(contentsOf: recorder.directory.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains(TraceRunFixture.secret), "\(name) leaks the secret")
        }
        let log = try TraceReader.read(recorder.directory.path)
        guard case .step(let s) = log.events[2] else {
            Issue.record("event 2 is not a step")
            return
        }
        #expect(s.answer?.contains("[redacted]") == true)
        #expect(s.thought == "I will type [redacted]")
        #expect(s.actions[0].action == .type(text: "[redacted]\n"))
        #expect(s.actions[0].decision?.reason == "typing [redacted] needs a yes")
    }

    @Test func recordIsDurableLineByLineBeforeFinish() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path)
        try recorder.record(TraceRunFixture.runStart(recorder.runID))
        // Read while the recorder is still open, as `trace show` on a running (or killed) run would.
        let summary = try TraceReader.summary(recorder.directory.path)
        #expect(summary.start?.runID == recorder.runID.rawValue)
        #expect(summary.interrupted)
    }

    @Test func finishWithoutRunEndReportsInterrupted() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path)
        try TraceRunFixture.record(into: recorder, end: false)
        let result = try recorder.finish()
        #expect(result.interrupted)
        #expect(result.status == "interrupted")
        #expect(try recorder.finish() == result)
        #expect(throws: TraceError.self) { try recorder.record(TraceRunFixture.runStart(recorder.runID)) }
    }

    @Test func annotatedEncodeReturningNilWritesNothing() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path)
        let path = recorder.writeAnnotated(step: 7) { nil }
        #expect(path == "annotated/0007.png")
        try recorder.finish()
        #expect(!FileManager.default.fileExists(atPath: recorder.directory.appendingPathComponent(path).path))
        #expect(recorder.backgroundFailures.isEmpty)
    }

    @Test func sameRunIDTwiceIsAnError() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let first = try TraceRecorder(parent: tmp.path, runID: "20250615-150640-ab12")
        #expect(first.directory.lastPathComponent == "20250615-150640-ab12")
        #expect(throws: TraceError.self) { try TraceRecorder(parent: tmp.path, runID: "20250615-150640-ab12") }
        #expect(throws: InputError.self) { try TraceRecorder(parent: tmp.path, runID: "../escape") }
    }

    @Test func unwritableParentIsATraceError() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let file = tmp.url.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        do {
            _ = try TraceRecorder(parent: file.path)
            Issue.record("a file as parent must fail")
        } catch let error as TraceError {
            #expect(error.description.contains(file.path))
            #expect(error.exitStatus == .environment)
        }
    }
}
