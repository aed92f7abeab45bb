import DeskCore
import Foundation

/// Events shared by the trace tests: a small two-step agent run with a typed secret.
enum TraceFixtures {
    static let start = Date(timeIntervalSince1970: 1_750_000_000.25)
    static let secret = "hunter2-SECRET"

    static func runStart(goal: String = "Log in and open the report") -> TraceEvent {
        .runStart(RunStartEvent(runID: "20250615-150640-ab12", time: start, kind: .agent,
                                command: ["deskpilot", "agent", goal], goal: goal, dialect: "ui-tars-1.5",
                                model: "ui-tars-1.5-7b", endpoint: "http://127.0.0.1:8000/v1",
                                screen: Size(width: 1280, height: 720), policy: "default", dryRun: false,
                                deskpilotVersion: "0.1.0"))
    }

    static func step(_ n: Int, actions: [TraceAction], answer: String? = nil, thought: String? = nil) -> TraceEvent {
        .step(StepEvent(step: n, time: start.addingTimeInterval(Double(n)), frame: "frames/000\(n).png",
                        annotated: "annotated/000\(n).png",
                        request: TraceRequest(images: [TraceImage(step: n, width: 1280, height: 720, label: "now")],
                                              promptTokens: 1000, completionTokens: 50, attempts: 1, modelMs: 800),
                        answer: answer, thought: thought, actions: actions,
                        timings: StepTimings(captureMs: 5, encodeMs: 20, requestMs: 850, modelMs: 800, parseMs: 1,
                                             policyMs: 0.5, actMs: 30, settleMs: 200, traceMs: 3)))
    }

    static let click = TraceAction(index: 0, modelAction: .click(at: ModelPoint(x: 500, y: 500), button: .left, count: 1),
                                   action: .click(at: Point(x: 640, y: 360), button: .left, count: 1),
                                   description: "click (640,360)", decision: TraceDecision(verdict: .allow),
                                   executed: true)

    static let typeSecret = TraceAction(index: 0, action: .type(text: "password: \(secret)\n"),
                                        description: "type \"password: \(secret)\\n\"",
                                        decision: TraceDecision(verdict: .deny, rule: "text.deny[0]",
                                                                reason: "matched \(secret)"),
                                        executed: false, error: "refused \(secret)")

    static func runEnd(steps: Int = 2) -> TraceEvent {
        .runEnd(RunEndEvent(time: start.addingTimeInterval(10), status: .succeeded, reason: "finished", steps: steps,
                            durationS: 10, promptTokens: 2000, completionTokens: 100))
    }

    static var fullRun: [TraceEvent] {
        [runStart(), step(1, actions: [click], answer: "Thought: click it\nAction: click(start_box='(500,500)')",
                          thought: "click it"),
         step(2, actions: [typeSecret], answer: "type \(secret)", thought: "type the password \(secret)"),
         .check(CheckEvent(name: "file_exists", passed: true, detail: "/tmp/report.txt")),
         runEnd()]
    }

    static func jsonl(_ events: [TraceEvent]) throws -> String {
        try events.map { try TraceCoding.line($0) + "\n" }.joined()
    }
}
