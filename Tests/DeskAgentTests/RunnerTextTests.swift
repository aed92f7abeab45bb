import DeskAgent
import DeskCore
import Foundation
import Testing
import DeskTestSupport

/// `text:` targets, `wait_for: {text:}` and `screen_contains` checks through the desktop's text finder.
@Suite(.ownThread) struct RunnerTextTests {
    static func source(_ line: Int) -> DeskCore.SourceLocation { DeskCore.SourceLocation(file: "task.yaml", line: line, column: 3) }

    func run(_ task: TaskFile, app: FakeApp, finder: FakeTextFinder?) async -> TaskOutcome {
        let executor = makeExecutor(app: app, textFinder: finder)
        let runner = TaskRunner(task: task, executor: executor, trace: .none(codec: FakeCodec()),
                                reporter: CollectingReporter(), agent: nil, options: TaskRunner.Options(checkGrace: 0.2))
        return await runner.run()
    }

    @Test func textTargetsClickTheLabel() async throws {
        let app = FakeApp()
        let task = TaskFile(directory: "/", name: "t",
                            steps: [TaskStep(.click(.text("Cancel"), button: .left, count: 1)),
                                    TaskStep(.click(.text("ok"), button: .left, count: 1))])
        let outcome = await run(task, app: app, finder: FakeTextFinder(app: app))
        #expect(outcome.ending == .finished)
        #expect(app.clicked == ["Cancel", "OK"])
    }

    @Test func aMissingTextFailsTheStepNamingWhatWasSeen() async throws {
        let app = FakeApp()
        let task = TaskFile(directory: "/", name: "t",
                            steps: [TaskStep(.click(.text("Save"), button: .left, count: 1), source: Self.source(4))])
        let outcome = await run(task, app: app, finder: FakeTextFinder(app: app))
        #expect(outcome.ending == .stepFailed)
        #expect(outcome.ending.exitStatus == .failure)
        #expect(outcome.reason.contains("task.yaml:4:3"))
        #expect(outcome.reason.contains("'Save' is not on the screen"))
        #expect(outcome.reason.contains("closest texts seen: 'OK', 'Cancel'"))
        #expect(app.clicked.isEmpty)
    }

    @Test func screenTextChecksPassAndFail() async throws {
        let app = FakeApp()
        let task = TaskFile(directory: "/", name: "t", steps: [TaskStep(.wait(seconds: 0))],
                            checks: [Check(.screenText("Cancel")), Check(.not(Check(.screenText("Xylophone")))),
                                     Check(.screenText("Saved"), source: Self.source(9))])
        let outcome = await run(task, app: app, finder: FakeTextFinder(app: app))
        #expect(outcome.checks.map(\.passed) == [true, true, false])
        #expect(outcome.ending == .checkFailed)
        #expect(outcome.reason.contains("screen_text \"Saved\""))
        #expect(outcome.reason.contains("task.yaml:9:3"))
        #expect(outcome.reason.contains("is not on the screen"))
    }

    @Test func waitForTextReturnsWhenItAppearsAndFailsAfterTheTimeout() async throws {
        let app = FakeApp()
        let finder = FakeTextFinder(app: app)
        let appears = TaskFile(directory: "/", name: "t", steps: [TaskStep(.waitFor(.text("Saved"), timeout: 5))])
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { finder.show("Saved", at: Rect(x: 10, y: 10, width: 50, height: 20)) }
        let ok = await run(appears, app: app, finder: finder)
        #expect(ok.ending == .finished)  // within its 5 s, or it would be .stepFailed

        let never = TaskFile(directory: "/", name: "t",
                             steps: [TaskStep(.waitFor(.text("Done"), timeout: 0.3), source: Self.source(3))])
        let failed = await run(never, app: app, finder: finder)
        #expect(failed.ending == .stepFailed)
        #expect(failed.reason.contains("did not appear within 0.3s"))
    }

    @Test func withoutAFinderTextIsRefusedUpFrontAndWithOneAccepted() throws {
        let task = TaskFile(directory: "/", name: "t",
                            setup: [SetupItem(.waitFor(.text("Ready"), timeout: 5))],
                            steps: [TaskStep(.click(.text("Save"), button: .left, count: 1))],
                            checks: [Check(.screenText("Saved"))])
        #expect(throws: InputError.self) { try TaskValidator.validate(task, hasModel: false, useAgent: false) }
        try TaskValidator.validate(task, hasModel: false, useAgent: false, canFindText: true)
    }

    @Test func withoutAFinderAtRunTimeTheTargetIsAUsageError() async throws {
        let app = FakeApp()
        let task = TaskFile(directory: "/", name: "t", steps: [TaskStep(.click(.text("OK"), button: .left, count: 1))])
        let outcome = await run(task, app: app, finder: nil)
        #expect(outcome.ending == .inputError)
        #expect(outcome.reason.contains(TargetResolver.textUnavailable))
    }
}
