import DeskCore
import Foundation
import Testing

@Suite("Trace log and summary")
struct TraceSummaryTests {
    @Test func completeRunSummarizes() throws {
        let log = TraceLog(parsing: Data(try TraceFixtures.jsonl(TraceFixtures.fullRun).utf8))
        #expect(log.events.count == 5)
        #expect(log.truncatedLine == nil && log.invalidLines.isEmpty)
        let s = TraceSummary(log: log)
        #expect(!s.interrupted)
        #expect(s.status == "succeeded")
        #expect(s.totals.steps == 2 && s.totals.actions == 2 && s.totals.executed == 1 && s.totals.denied == 1)
        #expect(s.totals.timings.modelMs == 1600)
        #expect(s.promptTokens == 2000)
        let text = s.renderText()
        #expect(text.contains("succeeded (exit 0)"))
        #expect(text.contains("step 1"))
        #expect(text.contains("step 2"))
        #expect(text.contains("click (640,360)"))
        #expect(text.contains("deny by text.deny[0]"))
        #expect(text.contains("pass file_exists"))
    }

    @Test func truncatedLastLineMeansInterrupted() throws {
        // What SIGKILL mid-write leaves: complete lines, then part of the next one and no run_end.
        let complete = try TraceFixtures.jsonl(Array(TraceFixtures.fullRun.prefix(3)))
        let next = try TraceCoding.line(TraceFixtures.step(3, actions: [TraceFixtures.click]))
        let data = Data((complete + next.prefix(next.count / 2)).utf8)
        let log = TraceLog(parsing: data)
        #expect(log.events.count == 3)
        #expect(log.truncatedLine == 4)
        #expect(log.invalidLines.isEmpty)
        let s = TraceSummary(log: log)
        #expect(s.interrupted)
        #expect(s.status == "interrupted")
        #expect(s.totals.steps == 2)
        let text = s.renderText()
        #expect(text.contains("interrupted"))
        #expect(text.contains("last step 2"))
        #expect(text.contains("line 4 is incomplete"))
    }

    @Test func badMiddleLineIsReportedAndSkipped() throws {
        let events = TraceFixtures.fullRun
        let text = try TraceCoding.line(events[0]) + "\n{not json\n" + TraceFixtures.jsonl(Array(events.dropFirst()))
        let log = TraceLog(parsing: Data(text.utf8))
        #expect(log.events.count == events.count)
        #expect(log.invalidLines.map(\.line) == [2])
        #expect(log.truncatedLine == nil)
    }

    @Test func lastLineWithoutNewlineThatParsesIsKept() throws {
        var text = try TraceFixtures.jsonl(TraceFixtures.fullRun)
        text.removeLast()
        let log = TraceLog(parsing: Data(text.utf8))
        #expect(log.events.count == TraceFixtures.fullRun.count)
        #expect(log.truncatedLine == nil)
        #expect(!TraceSummary(log: log).interrupted)
    }

    @Test func emptyTraceIsInterruptedWithNoSteps() {
        let s = TraceSummary(log: TraceLog(parsing: Data()))
        #expect(s.interrupted)
        #expect(s.totals.steps == 0)
        #expect(s.renderText().contains("no run_start"))
    }

    @Test func terminalControlCharactersAreStripped() {
        let s = TraceSummary(events: [TraceFixtures.runStart(),
                                      TraceFixtures.step(1, actions: [], thought: "x\u{1B}[2Jy\nz")])
        let text = s.renderText()
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("x[2Jy ⏎ z"))
    }

    @Test func resultMirrorsSummary() throws {
        let result = TraceResult(summary: TraceSummary(events: TraceFixtures.fullRun))
        #expect(result.status == "succeeded" && result.exitCode == 0 && !result.interrupted)
        #expect(result.runID == "20250615-150640-ab12")
        #expect(result.checks.count == 1)
        let json = String(decoding: try TraceCoding.encoder().encode(result), as: UTF8.self)
        #expect(json.contains("\"run_id\""))
        #expect(json.contains("\"duration_s\""))
    }
}
