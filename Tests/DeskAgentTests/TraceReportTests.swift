import DeskAgent
import DeskCore
import DeskRuntime
import Foundation
import Testing
import DeskTestSupport

@Suite("Trace report.html", .ownThread)
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
        // The shown frames are embedded; the full-size ones stay files beside the report.
        let annotated1 = "data:image/png;base64," + Data(TraceRunFixture.png + [1]).base64EncodedString()
        #expect(html.contains("src=\"\(annotated1)\""))
        #expect(!html.contains("src=\"annotated/") && !html.contains("src=\"frames/"))
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
        let html = ReportWriter.render(summary: summary) { $0 == "frames/0001.png" ? "data:image/png;base64,RAW" : nil }
        #expect(html.contains("src=\"data:image/png;base64,RAW\""))
        #expect(html.contains("frame as sent"))
        #expect(html.contains("interrupted"))
    }

    /// A report copied alone to another folder still shows every screenshot: each `src` is a data URI of a
    /// real PNG, frames wider than 1280 px scaled down to 1280 (aspect kept).
    @Test func aReportCopiedAloneShowsItsScreenshotsScaledDown() throws {
        let tmp = try TraceTempDir()
        defer { tmp.cleanup() }
        let codec = ImagingCodec()
        let recorder = try TraceRecorder(parent: tmp.path, redactor: TraceRunFixture.redactor)
        var frame = try Frame(width: 2000, height: 1000, stride: 2000 * 4, format: .bgrx,
                          pixels: [UInt8](repeating: 0x40, count: 2000 * 1000 * 4))
        for i in stride(from: 0, to: frame.pixels.count, by: 4 * 97) { frame[byte: i] = 0xF0 }
        try recorder.record(TraceRunFixture.runStart(recorder.runID))
        let path = try recorder.writeFrame(step: 1, png: try codec.encodePNG(frame))
        try recorder.record(TraceRunFixture.step(1, frame: path, annotated: nil, actions: [TraceRunFixture.click]))
        try recorder.record(.runEnd(RunEndEvent(time: Date(), status: .succeeded, steps: 1, durationS: 1)))
        try recorder.finish(codec: codec)

        let alone = tmp.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: recorder.directory.appendingPathComponent("report.html"),
                                         to: alone.appendingPathComponent("report.html"))
        let html = try String(contentsOf: alone.appendingPathComponent("report.html"), encoding: .utf8)
        let prefix = "<img src=\"data:image/png;base64,"
        let start = try #require(html.range(of: prefix))
        let end = try #require(html[start.upperBound...].firstIndex(of: "\""))
        let bytes = try #require(Data(base64Encoded: String(html[start.upperBound..<end])))
        let shown = try codec.decodePNG([UInt8](bytes), path: "report.html")
        #expect(shown.width == 1280 && shown.height == 640)
        #expect(!html.contains("src=\"frames/"))
    }

    @Test func theScreenAfterTheLastStepIsShownToo() {
        var end = RunEndEvent(time: Date(), status: .succeeded, steps: 1, durationS: 1)
        end.finalFrame = "frames/final.png"
        let summary = TraceSummary(events: [TraceRunFixture.step(1, frame: "frames/0001.png", annotated: nil,
                                                                 actions: [TraceRunFixture.click]), .runEnd(end)])
        let html = ReportWriter.render(summary: summary) { "data:image/png;base64," + $0.replacingOccurrences(of: "/", with: "_") }
        #expect(html.contains("id=\"final\""))
        #expect(html.contains("src=\"data:image/png;base64,frames_final.png\""))
        #expect(html.contains("href=\"frames/final.png\""))
    }

    @Test func escapeCoversAllSpecialCharacters() {
        #expect(ReportWriter.esc("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }
}
