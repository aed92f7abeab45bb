import DeskCore
import Foundation
import Testing

/// `deskpilot replay`: which steps a recorded run turns into.
struct EvalReplayPlanTests {
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000)

    static func start(kind: RunKind = .task) -> TraceEvent {
        .runStart(RunStartEvent(runID: "20250101-000000-abcd", time: t0, kind: kind, command: [],
                                screen: Size(width: 1024, height: 768), policy: "default", dryRun: false,
                                deskpilotVersion: "test"))
    }

    static func step(_ n: Int, at seconds: Double, _ actions: [ScreenAction], executed: Bool = true,
                     model: Bool = false) -> TraceEvent {
        var e = StepEvent(step: n, time: t0.addingTimeInterval(seconds),
                          actions: actions.enumerated().map {
                              TraceAction(index: $0.offset, action: $0.element, description: "\($0.element.kind.rawValue)",
                                          decision: TraceDecision(verdict: executed ? .allow : .deny), executed: executed)
                          })
        if model { e.answer = "Action: ..." }
        return .step(e)
    }

    static func end(at seconds: Double) -> TraceEvent {
        .runEnd(RunEndEvent(time: t0.addingTimeInterval(seconds), status: .succeeded, steps: 3, durationS: seconds))
    }

    @Test func scriptedRunKeepsTheTaskFilesWaitsAndFocus() throws {
        let matcher = WindowMatcher(className: try PolicyRegex("XTerm"))
        let task = TaskFile(directory: "/tmp", name: "t", steps: [
            TaskStep(.click(.inWindow(matcher, at: Point(x: 10, y: 10)), button: .left, count: 1)),
            TaskStep(.waitFor(.window(matcher), timeout: 5)),
            TaskStep(.focus(matcher)),
            TaskStep(.type(TaskText("ls\n"))),
        ])
        let summary = TraceSummary(events: [
            Self.start(),
            Self.step(1, at: 0, [.click(at: Point(x: 110, y: 40), button: .left, count: 1)]),
            Self.step(2, at: 1, []),
            Self.step(3, at: 2, []),
            Self.step(4, at: 3, [.type(text: "ls\n")]),
            Self.end(at: 4),
        ])
        let plan = try ReplayPlan.make(summary: summary, task: task)
        #expect(plan.usesTaskSteps)
        // The click is replayed at the pixel the run resolved, not re-resolved from the window.
        #expect(plan.steps.map(\.kind) == [
            .click(.at(Point(x: 110, y: 40)), button: .left, count: 1),
            .waitFor(.window(matcher), timeout: 5),
            .focus(matcher),
            .type(TaskText("ls\n")),
        ])
    }

    @Test func modelRunReplaysActionsAndRecordedPauses() throws {
        let summary = TraceSummary(events: [
            Self.start(kind: .agent),
            Self.step(1, at: 0, [.click(at: Point(x: 5, y: 6), button: .right, count: 1), .key(chord: "ctrl+s")], model: true),
            Self.step(2, at: 1, [], model: true),   // a step that acted on nothing (a parse error, say)
            Self.step(3, at: 3.5, [.drag(from: Point(x: 1, y: 2), to: Point(x: 3, y: 4), button: .left),
                                   .scroll(at: nil, direction: .down, notches: 2)], model: true),
            Self.step(4, at: 4, [.finished(message: "done")], model: true),
            Self.end(at: 4.5),
        ])
        let plan = try ReplayPlan.make(summary: summary, task: nil)
        #expect(!plan.usesTaskSteps)
        #expect(plan.steps.map(\.kind) == [
            .click(.at(Point(x: 5, y: 6)), button: .right, count: 1),
            .key(try KeyChord.parse("ctrl+s")),
            .wait(seconds: 2.5),
            .drag(from: .at(Point(x: 1, y: 2)), to: .at(Point(x: 3, y: 4)), button: .left),
            .scroll(nil, direction: .down, notches: 2),
        ])
        #expect(plan.skipped.count == 1)
        #expect(plan.skipped[0].contains("step 4"))
    }

    @Test func deniedActionsAreNotReplayed() throws {
        let summary = TraceSummary(events: [
            Self.start(kind: .agent),
            Self.step(1, at: 0, [.type(text: "sudo reboot\n")], executed: false, model: true),
            Self.step(2, at: 1, [.key(chord: "Return")], model: true),
        ])
        let plan = try ReplayPlan.make(summary: summary, task: nil)
        #expect(plan.steps.map(\.kind) == [.key(try KeyChord.parse("Return"))])
        #expect(plan.skipped.first?.contains("deny") == true)
    }

    @Test func heldKeysAndRedactedSecretsAreRefusedWithTheStep() {
        let held = TraceSummary(events: [Self.start(kind: .agent),
                                         Self.step(1, at: 0, [.press(key: "shift")], model: true)])
        #expect(throws: InputError.self) { try ReplayPlan.make(summary: held, task: nil) }
        let secret = TraceSummary(events: [Self.start(kind: .agent),
                                           Self.step(1, at: 0, [.type(text: "pw: [redacted]")], model: true)])
        do {
            _ = try ReplayPlan.make(summary: secret, task: nil)
            Issue.record("a redacted text was replayed")
        } catch {
            #expect(error.description.contains("step 1"))
        }
    }

    @Test func redactedTextComesFromTheTaskFileWhenTheStepDoes() throws {
        let secretText = TaskText(template: "${secret:PW}\n", resolved: "hunter2\n", containsSecret: true)
        let task = TaskFile(directory: "/tmp", name: "t", steps: [TaskStep(.type(secretText))])
        let summary = TraceSummary(events: [Self.start(), Self.step(1, at: 0, [.type(text: "[redacted]\n")])])
        let plan = try ReplayPlan.make(summary: summary, task: task)
        guard case .type(let text)? = plan.steps.first?.kind else {
            Issue.record("no type step")
            return
        }
        #expect(text.resolved == "hunter2\n")
    }

    @Test func aTraceWithoutActionsHasNothingToReplay() {
        let summary = TraceSummary(events: [Self.start(), Self.step(1, at: 0, [])])
        #expect(throws: InputError.self) { try ReplayPlan.make(summary: summary, task: nil) }
    }
}
