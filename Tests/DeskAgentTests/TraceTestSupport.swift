import DeskAgent
import DeskCore
import Foundation

/// A fresh temporary folder per test, removed by `cleanup()`.
struct TraceTempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("deskpilot-trace-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    func cleanup() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// A small two-step run with a secret that must never reach the disk.
enum TraceRunFixture {
    static let secret = "s3cr3t-TOKEN-42"
    static let start = Date(timeIntervalSince1970: 1_750_000_000.5)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]

    static func redactor(_ text: String) -> String {
        text.replacingOccurrences(of: secret, with: "[redacted]")
    }

    static func runStart(_ id: RunID) -> TraceEvent {
        .runStart(RunStartEvent(runID: id.rawValue, time: start, kind: .agent,
                                command: ["deskpilot", "agent", "log in with \(secret)"],
                                goal: "log in with \(secret) <script>alert(1)</script>", dialect: "ui-tars-1.5",
                                model: "m", screen: Size(width: 800, height: 600), policy: "default", dryRun: false,
                                deskpilotVersion: "0.1.0"))
    }

    static func step(_ n: Int, frame: String?, annotated: String?, actions: [TraceAction]) -> TraceEvent {
        .step(StepEvent(step: n, time: start.addingTimeInterval(Double(n)), frame: frame, annotated: annotated,
                        answer: "Thought: type \(secret)\nAction: type(content='\(secret)') <script>x</script>",
                        thought: "I will type \(secret)", actions: actions,
                        timings: StepTimings(captureMs: 4, modelMs: 900, settleMs: 120)))
    }

    static let click = TraceAction(index: 0, action: .click(at: Point(x: 10, y: 20), button: .left, count: 1),
                                   description: "click (10,20)", decision: TraceDecision(verdict: .allow),
                                   executed: true)

    static let type = TraceAction(index: 0, action: .type(text: "\(secret)\n"),
                                  description: ScreenAction.type(text: "\(secret)\n").traceDescription,
                                  decision: TraceDecision(verdict: .confirmed, rule: "confirm[0]",
                                                          reason: "typing \(secret) needs a yes"),
                                  executed: true)

    static let finished = TraceAction(index: 1, action: .finished(message: "done"), description: "finished: done",
                                      decision: TraceDecision(verdict: .allow), executed: true)

    /// Records a whole run through `recorder` and returns its events as given.
    @discardableResult
    static func record(into recorder: TraceRecorder, end: Bool = true) throws -> [TraceEvent] {
        var events = [runStart(recorder.runID)]
        try recorder.record(events[0])
        for (n, actions) in [(1, [click]), (2, [type, finished])] {
            let frame = try recorder.writeFrame(step: n, png: png)
            let annotated = recorder.writeAnnotated(step: n) { png + [UInt8(n)] }
            let e = step(n, frame: frame, annotated: annotated, actions: actions)
            try recorder.record(e)
            events.append(e)
        }
        let check = TraceEvent.check(CheckEvent(name: "title", passed: true, detail: "saw \(secret)"))
        try recorder.record(check)
        events.append(check)
        if end {
            let e = TraceEvent.runEnd(RunEndEvent(time: start.addingTimeInterval(3), status: .succeeded,
                                                  reason: "finished: \(secret)", steps: 2, durationS: 3))
            try recorder.record(e)
            events.append(e)
        }
        return events
    }
}
