import DeskCore
import Foundation

/// Writes `report.html`: one self-contained page (inline CSS, no script, no network) that opens from
/// disk and shows the goal, every step with its annotated frame, thought, raw answer, actions with their
/// policy decisions, typed text and key chords as text, and timings.
///
/// The shown frames are embedded as `data:` URIs, scaled down to at most ``embeddedWidth`` pixels wide, so
/// the file alone (mailed, copied elsewhere) still shows every screenshot; each links to its full-size
/// frame, which stays a file beside it.
public enum ReportWriter {
    /// The widest an embedded frame is; wider frames are scaled down (aspect kept).
    public static let embeddedWidth = 1280

    /// Renders the report and writes it to `directory/report.html`. With a `codec` wide frames are scaled
    /// down before they are embedded; without one they are embedded as they are.
    public static func write(summary: TraceSummary, to directory: URL, codec: (any FrameCodec)? = nil) throws {
        let html = render(summary: summary) { relative in
            embedded(directory.appendingPathComponent(relative).path, codec: codec)
        }
        let url = directory.appendingPathComponent(TraceFiles.report)
        do {
            try PrivateFile.write(Data(html.utf8), to: url)
        } catch {
            throw TraceError(path: url.path, reason: TraceRecorder.reason(error))
        }
    }

    /// A PNG file as a `data:image/png;base64,…` URI, scaled down to ``embeddedWidth`` when `codec` can;
    /// nil when the file cannot be read.
    public static func embedded(_ path: String, codec: (any FrameCodec)?) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var bytes = [UInt8](data)
        if let codec, let frame = try? codec.decodePNG(bytes, path: path), frame.width > embeddedWidth {
            let height = max(1, frame.height * embeddedWidth / frame.width)
            if let smaller = try? codec.encodePNG(codec.resize(frame, to: Size(width: embeddedWidth, height: height))) {
                bytes = smaller
            }
        }
        return "data:image/png;base64," + Data(bytes).base64EncodedString()
    }

    /// The report's HTML. `image` gives the `src` of a frame by its path relative to the run folder (a data
    /// URI), or nil when it is missing (an annotated frame may be: the raw frame is shown then).
    public static func render(summary s: TraceSummary, image: (String) -> String?) -> String {
        var h = ""
        let title = s.start?.goal ?? s.start?.task ?? s.start?.runID ?? "deskpilot run"
        h += """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>deskpilot — \(esc(TraceText.oneLine(title, limit: 80)))</title>
        <style>\(css)</style>
        </head>
        <body>
        <header>
        <h1>\(esc(title))</h1>

        """
        h += statusBanner(s)
        h += "<table class=\"meta\">\n"
        func row(_ k: String, _ v: String?) {
            guard let v, !v.isEmpty else { return }
            h += "<tr><th>\(esc(k))</th><td>\(esc(v))</td></tr>\n"
        }
        if let st = s.start {
            row("run", "\(st.runID) (\(st.kind.rawValue)\(st.dryRun ? ", dry run" : ""))")
            row("goal", st.goal)
            row("task", st.task)
            row("model", st.model)
            row("dialect", st.dialect)
            row("endpoint", st.endpoint)
            row("screen", "\(st.screen)" + (st.display.map { " on \($0)" } ?? ""))
            row("policy", st.policy)
            row("started", TraceCoding.formatTime(st.time))
            row("command", st.command.joined(separator: " "))
            row("deskpilot", st.deskpilotVersion)
        }
        if let e = s.end { row("ended", TraceCoding.formatTime(e.time)) }
        row("duration", s.durationS.map { TraceText.duration(ms: $0 * 1000) })
        let t = s.totals
        row("steps", "\(t.steps) steps, \(t.actions) actions, \(t.executed) executed, \(t.denied) denied")
        if s.promptTokens > 0 || s.completionTokens > 0 {
            row("tokens", "\(s.promptTokens) prompt, \(s.completionTokens) completion")
        }
        row("time", t.timings.named.map { "\($0.name) \(TraceText.duration(ms: $0.ms))" }.joined(separator: ", "))
        h += "</table>\n"
        if !s.steps.isEmpty {
            h += "<nav>" + s.steps.map { "<a href=\"#step-\($0.step)\">\($0.step)</a>" }.joined(separator: " ") + "</nav>\n"
        }
        h += "</header>\n<main>\n"
        for step in s.steps { h += section(step, start: s.start, image: image) }
        if let final = s.end?.finalFrame, let shown = image(final) {
            h += "<section class=\"step\" id=\"final\">\n<h2>After the last step</h2>\n<figure><a href=\"\(attr(final))\">"
                + "<img src=\"\(esc(shown))\" alt=\"the screen after the last step\" loading=\"lazy\"></a>"
                + "<figcaption>the screen as the run left it; click for the full size</figcaption></figure>\n</section>\n"
        }
        if !s.checks.isEmpty {
            h += "<section class=\"checks\"><h2>Checks</h2><table>\n"
            for c in s.checks {
                h += "<tr class=\"\(c.passed ? "ok" : "bad")\"><td>\(c.passed ? "pass" : "FAIL")</td><td>\(esc(c.name))</td>"
                    + "<td>\(esc(c.detail ?? ""))</td></tr>\n"
            }
            h += "</table></section>\n"
        }
        var warnings: [String] = []
        if let n = s.truncatedLine { warnings.append("line \(n) of trace.jsonl is incomplete and was ignored") }
        for bad in s.invalidLines { warnings.append("line \(bad.line) of trace.jsonl is not a valid event: \(bad.error)") }
        if !warnings.isEmpty {
            h += "<section class=\"warnings\"><h2>Warnings</h2><ul>"
                + warnings.map { "<li>\(esc($0))</li>" }.joined() + "</ul></section>\n"
        }
        h += "</main>\n<footer>written by deskpilot\(s.start.map { " " + esc($0.deskpilotVersion) } ?? "")</footer>\n</body>\n</html>\n"
        return h
    }

    private static func statusBanner(_ s: TraceSummary) -> String {
        if let e = s.end {
            let cls = e.status == .succeeded ? "ok" : "bad"
            return "<p class=\"status \(cls)\">\(esc(e.status.rawValue)) (exit \(e.exitCode))"
                + (e.reason.map { ": " + esc($0) } ?? "") + "</p>\n"
        }
        return "<p class=\"status bad\">interrupted: the trace has no run_end event (the run was killed, crashed or is still running)</p>\n"
    }

    private static func section(_ step: StepEvent, start: RunStartEvent?, image: (String) -> String?) -> String {
        var h = "<section class=\"step\" id=\"step-\(step.step)\">\n<h2>Step \(step.step)"
        if let st = start {
            h += " <small>+\(esc(TraceText.duration(ms: step.time.timeIntervalSince(st.time) * 1000)))</small>"
        }
        h += "</h2>\n<div class=\"cols\">\n<figure>"
        let annotated = step.annotated.flatMap(image)
        if let frame = step.frame, let shown = annotated ?? image(frame) {
            h += "<a href=\"\(attr(frame))\"><img src=\"\(esc(shown))\" alt=\"step \(step.step) screen\" loading=\"lazy\"></a>"
            h += "<figcaption>\(annotated != nil ? "annotated; click for the full-size raw frame" : "frame as sent; click for the full size")"
            if let r = step.request, !r.images.isEmpty {
                let sizes = r.images.map { "\($0.width)x\($0.height)" + ($0.label.map { " (\($0))" } ?? "") }
                h += " · sent " + esc(sizes.joined(separator: ", "))
            }
            h += "</figcaption>"
        } else {
            h += "<figcaption>\(step.frame.map { "frame \(esc($0)) is missing" } ?? "no frame")</figcaption>"
        }
        h += "</figure>\n<div class=\"detail\">\n"
        if let source = step.source { h += "<p class=\"source\"><b>step</b> <code>\(esc(source))</code></p>\n" }
        if let thought = step.thought { h += "<p class=\"thought\">\(esc(thought))</p>\n" }
        if let answer = step.answer {
            h += "<details><summary>raw answer</summary><pre>\(esc(answer))</pre></details>\n"
        }
        if let p = step.parseError { h += "<p class=\"bad\">parse error: \(esc(p))</p>\n" }
        if !step.actions.isEmpty {
            h += "<table class=\"actions\"><tr><th>#</th><th>action</th><th>decision</th><th>ran</th></tr>\n"
            for a in step.actions { h += actionRow(a) }
            h += "</table>\n"
        }
        if let note = step.note { h += "<p class=\"note\">note: \(esc(note))</p>\n" }
        if let e = step.error { h += "<p class=\"bad\">error: \(esc(e))</p>\n" }
        let timings = step.timings.named
        if !timings.isEmpty || step.request != nil {
            var parts = timings.map { "\($0.name) \(TraceText.duration(ms: $0.ms))" }
            if let r = step.request {
                if let p = r.promptTokens { parts.append("\(p) prompt tokens") }
                if let c = r.completionTokens { parts.append("\(c) completion tokens") }
                if r.attempts > 1 { parts.append("\(r.attempts) attempts") }
            }
            h += "<p class=\"timings\">\(esc(parts.joined(separator: " · ")))</p>\n"
        }
        h += "</div>\n</div>\n</section>\n"
        return h
    }

    private static func actionRow(_ a: TraceAction) -> String {
        var what = "<code>\(esc(a.description))</code>"
        // Typed text and chords are shown exactly, since the annotated frame cannot show them.
        switch a.action ?? a.modelAction?.mapPoints({ _ in Point(x: 0, y: 0) }) {
        case .type(let text)?: what += "<div class=\"typed\">typed: <code>\(esc(TraceText.quoted(text)))</code></div>"
        case .key(let chord)?: what += "<div class=\"typed\">keys: <kbd>\(esc(chord))</kbd></div>"
        default: break
        }
        if let points = a.points, !points.isEmpty {
            let mapped = points.map { "\($0.model) → \($0.screen)\($0.clamped ? " (clamped)" : "")" }
            what += "<div class=\"mapping\">model \(esc(mapped.joined(separator: ", ")))"
            if let m = a.mapping { what += " · \(esc(m.convention.description))" }
            what += "</div>"
        }
        if let e = a.error { what += "<div class=\"bad\">error: \(esc(e))</div>" }
        var decision = ""
        if let d = a.decision {
            decision = "<span class=\"verdict \(attr(d.verdict.rawValue))\">\(esc(d.verdict.rawValue))</span>"
            if let rule = d.rule { decision += " <span class=\"rule\">\(esc(rule))</span>" }
            if let reason = d.reason { decision += "<div>\(esc(reason))</div>" }
        }
        return "<tr><td>\(a.index)</td><td>\(what)</td><td>\(decision)</td><td>\(a.executed ? "yes" : "no")"
            + (a.actMs.map { " <small>\(esc(TraceText.duration(ms: $0)))</small>" } ?? "") + "</td></tr>\n"
    }

    /// HTML-escapes text for element content and attribute values (control characters made visible).
    public static func esc(_ text: String) -> String { ControlCharacters.html(text) }

    /// A relative path as an attribute value: percent-encodes what a URL path cannot hold, then escapes.
    private static func attr(_ path: String) -> String {
        esc(path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)
    }

    private static let css = """
    body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f8}
    header{background:#fff;padding:16px 24px;border-bottom:1px solid #ddd}
    h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:0 0 8px}
    main{padding:16px 24px}table{border-collapse:collapse}
    .meta th{text-align:left;padding:2px 12px 2px 0;color:#666;font-weight:500;vertical-align:top}
    .meta td{white-space:pre-wrap;word-break:break-word}
    nav{margin-top:8px}nav a{margin-right:6px}
    .status{font-weight:600;padding:6px 10px;border-radius:6px;display:inline-block}
    .ok{color:#0a6b2e}.bad{color:#b00020}.status.ok{background:#e3f5e9}.status.bad{background:#fde7ea}
    .step{background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px 16px;margin-bottom:16px}
    .cols{display:flex;gap:16px;flex-wrap:wrap}figure{margin:0;flex:1 1 480px;max-width:960px}
    figure img{max-width:100%;border:1px solid #ccc}figcaption{color:#666;font-size:12px}
    .detail{flex:1 1 360px;min-width:0}.thought{white-space:pre-wrap;font-style:italic}
    pre{white-space:pre-wrap;word-break:break-word;background:#f3f3f5;padding:8px;border-radius:4px}
    .actions td,.actions th{border-top:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top}
    .typed,.mapping{font-size:12px;color:#444}.rule{color:#666;font-size:12px}
    .verdict{font-weight:600}.verdict.deny,.verdict.denied_by_person{color:#b00020}.verdict.allow,.verdict.confirmed{color:#0a6b2e}
    .verdict.dry_run,.verdict.confirm{color:#8a5a00}.timings,.note{color:#555;font-size:12px}
    .checks td{padding:2px 10px 2px 0}footer{color:#888;font-size:12px;padding:8px 24px}
    """
}
