import DeskAgent
import DeskCore
import Foundation
import Testing
import DeskTestSupport

/// What a SIGKILL mid-step leaves behind: the recorder's complete, fsynced lines, then part of a line.
/// (The CLI-level test with a real SIGKILL belongs to the CLI tests.)
@Suite("Trace after a kill", .ownThread)
struct TraceKillTests {
    @Test(arguments: [1, 17, 100])
    func halfWrittenLastLineIsIgnoredAndRunIsInterrupted(cutAt: Int) throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path, redactor: TraceRunFixture.redactor)
        try recorder.record(TraceRunFixture.runStart(recorder.runID))
        for n in 1...5 {
            try recorder.record(TraceRunFixture.step(n, frame: try recorder.writeFrame(step: n, png: TraceRunFixture.png),
                                                     annotated: nil, actions: [TraceRunFixture.click]))
        }
        // No finish(): the process "died". Append the start of the next event as a cut-short write would.
        let next = try TraceCoding.line(TraceRunFixture.step(6, frame: "frames/0006.png", annotated: nil,
                                                             actions: [TraceRunFixture.type]))
        let file = recorder.directory.appendingPathComponent("trace.jsonl")
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(next.utf8.prefix(cutAt)))
        try handle.close()

        let log = try TraceReader.read(recorder.directory.path)
        #expect(log.events.count == 6)
        #expect(log.truncatedLine == 7)
        let summary = TraceSummary(log: log)
        #expect(summary.interrupted)
        #expect(summary.totals.steps == 5)
        #expect(summary.renderText().contains("interrupted"))
        #expect(!FileManager.default.fileExists(atPath: recorder.directory.appendingPathComponent("result.json").path))
    }
}
