import DeskAgent
import DeskCore
import Foundation
import Testing

@Suite("Trace report.html")
struct TraceReportTests {
    @Test func reportShowsEveryStepAndEscapesMarkup() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let recorder = try TraceRecorder(parent: tmp.path, redactor: TraceRunFixture.redactor)
        try TraceRunFixture.record(into: recorder)
        try recorder.finish()
        let html = try String(contentsOf: recorder.directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("id=\"step-1\""))
        #expect(html.contains("id=\"step-2\""))
        #expect(html.contains("src=\"annotated/0001.png\""))
        #expect(html.contains("href=\"frames/0002.png\""))
        #expect(!html.contains("<script"), "model text must never become markup")
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("<details>"))
        // Typed text is shown as text next to the frame, exactly (the trailing Return is visible).
        #expect(html.contains("typed: <code>&quot;[redacted]\\n&quot;</code>"))
        #expect(html.contains("confirm[0]"))
        #expect(html.contains("succeeded"))
        // Self-contained: nothing fetched from the network.
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test func missingAnnotatedFrameFallsBackToRawFrame() {
        let summary = TraceSummary(events: [TraceRunFixture.step(1, frame: "frames/0001.png",
                                                                 annotated: "annotated/0001.png",
                                                                 actions: [TraceRunFixture.click])])
        let html = ReportWriter.render(summary: summary) { _ in false }
        #expect(html.contains("src=\"frames/0001.png\""))
        #expect(!html.contains("src=\"annotated/0001.png\""))
        #expect(html.contains("interrupted"))
    }

    @Test func escapeCoversAllSpecialCharacters() {
        #expect(ReportWriter.esc("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}
