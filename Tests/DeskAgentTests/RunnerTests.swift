import DeskAgent
import DeskCore
import Foundation
import Testing
import DeskTestSupport

/// The scripted task runner against the fake app: steps, setup, checks, policy, validation.
@Suite(.ownThread) struct RunnerTests {
    static func source(_ line: Int) -> DeskCore.SourceLocation { DeskCore.SourceLocation(file: "task.yaml", line: line, column: 3) }

    static func fakeWindow() throws -> WindowMatcher { WindowMatcher(className: try PolicyRegex("FakeApp")) }

    func run(_ task: TaskFile, app: FakeApp = FakeApp(), policy: Policy = Policy(name: "test"), dryRun: Bool = false,
             launcher: ProcessLauncherForTests = ProcessLauncherForTests()) async -> (TaskOutcome, FakeApp, CollectingReporter) {
        let executor = makeExecutor(app: app, policy: policy, dryRun: dryRun, launcher: launcher)
        let reporter = CollectingReporter()
        let runner = TaskRunner(task: task, executor: executor, trace: .none(codec: FakeCodec()), reporter: reporter,
                                agent: nil, options: TaskRunner.Options(checkGrace: 0.3))
        return (await runner.run(), app, reporter)
    }

    @Test func stepsThenChecksPass() async throws {
        let dir = try temporaryFolder()
        let out = dir + "/setup.txt"
        let task = TaskFile(directory: dir, name: "t",
                            setup: [SetupItem(.run(.argv([TaskText("sh"), TaskText("-c"), TaskText("echo ready > setup.txt")]),
                                                   background: false, timeout: 10))],
                            steps: [TaskStep(.click(.at(Point(x: 150, y: 120)), button: .left, count: 1), source: Self.source(5)),
                                    TaskStep(.click(.inWindow(try Self.fakeWindow(), at: Point(x: 320, y: 110)), button: .left, count: 1)),
                                    TaskStep(.type(TaskText("hello")), source: Self.source(6)),
                                    TaskStep(.key(try KeyChord.parse("ctrl+a"))),
                                    TaskStep(.wait(seconds: 0.01))],
                            checks: [Check(.fileContains(path: out, text: TaskText("ready"))),
                                     Check(.window(try Self.fakeWindow())),
                                     Check(.not(Check(.fileExists(path: dir + "/missing"))))])
        let (outcome, app, reporter) = await run(task)
        #expect(outcome.ending == .finished)
        #expect(outcome.ending.exitStatus == .success)
        #expect(app.clicked == ["OK", "Cancel"])
        #expect(app.typed == "hello")
        #expect(app.performed.contains(.key(chord: "ctrl+a")))
        #expect(outcome.checks.count == 3 && outcome.checks.allSatisfy(\.passed))
        #expect(reporter.steps.count == 5)
    }

    @Test func aFailingCheckIsNamed() async throws {
        let dir = try temporaryFolder()
        let task = TaskFile(directory: dir, name: "t",
                            steps: [TaskStep(.type(TaskText("x")))],
                            checks: [Check(.fileExists(path: dir + "/nothing.txt"), source: Self.source(9))])
        let (outcome, _, _) = await run(task)
        #expect(outcome.ending == .checkFailed)
        #expect(outcome.ending.exitStatus == .failure)
        #expect(outcome.reason.contains("file_exists \(dir)/nothing.txt"))
        #expect(outcome.reason.contains("task.yaml:9:3"))
    }

    @Test func commandCheckComparesStatusAndOutput() async throws {
        let dir = try temporaryFolder()
        let ok = Check(.command(.shell(TaskText("echo hello")), exitStatus: 0, outputContains: TaskText("hell"),
                                outputMatches: try PolicyRegex("^hello$"), timeout: 10))
        let wrongStatus = Check(.command(.shell(TaskText("exit 3")), exitStatus: 0, outputContains: nil, outputMatches: nil,
                                         timeout: 10))
        let task = TaskFile(directory: dir, name: "t", steps: [TaskStep(.wait(seconds: 0))], checks: [ok, wrongStatus])
        let (outcome, _, _) = await run(task)
        #expect(outcome.checks.first?.passed == true)
        #expect(outcome.checks.last?.passed == false)
        #expect(outcome.checks.last?.detail.contains("exited with 3") == true)
    }

    @Test func deniedStepFailsTheTask() async throws {
        let task = TaskFile(directory: NSTemporaryDirectory(), name: "t", steps: [TaskStep(.type(TaskText("secret")))])
        let policy = Policy(name: "no-typing", actions: ActionRules(deny: [.type]))
        let (outcome, app, _) = await run(task, policy: policy)
        #expect(outcome.ending == .stepFailed)
        #expect(outcome.ending.exitStatus == .failure)
        #expect(outcome.reason.contains("policy denied"))
        #expect(app.typed.isEmpty)
    }

    @Test func deniedStepUnderAbortExits4() async throws {
        let task = TaskFile(directory: NSTemporaryDirectory(), name: "t", steps: [TaskStep(.type(TaskText("secret")))])
        let policy = Policy(name: "no-typing", actions: ActionRules(deny: [.type]), onViolation: .abort)
        let (outcome, _, _) = await run(task, policy: policy)
        #expect(outcome.ending == .policyAbort)
        #expect(outcome.ending.exitStatus == .policy)
    }

    @Test func dryRunInjectsNothing() async throws {
        let task = TaskFile(directory: NSTemporaryDirectory(), name: "t",
                            steps: [TaskStep(.click(.at(Point(x: 150, y: 120)), button: .left, count: 1)),
                                    TaskStep(.type(TaskText("x")))])
        let (outcome, app, reporter) = await run(task, dryRun: true)
        #expect(outcome.ending == .finished)
        #expect(app.performed.isEmpty)
        #expect(reporter.steps.map(\.decision) == ["dry-run", "dry-run"])
    }

    @Test func failingSetupCommandStopsBeforeTheSteps() async throws {
        let task = TaskFile(directory: NSTemporaryDirectory(), name: "t",
                            setup: [SetupItem(.run(.shell(TaskText("echo broken >&2; exit 7")), background: false, timeout: 10),
                                              source: Self.source(3))],
                            steps: [TaskStep(.type(TaskText("x")))])
        let (outcome, app, _) = await run(task)
        #expect(outcome.ending == .stepFailed)
        #expect(outcome.reason.contains("exited with 7"))
        #expect(outcome.reason.contains("broken"))
        #expect(app.performed.isEmpty)
    }

    @Test func waitForAMissingWindowTimesOut() async throws {
        let task = TaskFile(directory: NSTemporaryDirectory(), name: "t",
                            steps: [TaskStep(.waitFor(.window(WindowMatcher(className: try PolicyRegex("Nope"))), timeout: 0.2))])
        let (outcome, _, _) = await run(task)
        #expect(outcome.ending == .stepFailed)
        #expect(outcome.reason.contains("appeared within"))
    }

    @Test func imageTargetClicksTheMatchCentre() async throws {
        let dir = try temporaryFolder()
        let image = dir + "/ok.png"
        FileManager.default.createFile(atPath: image, contents: Data([1, 2, 3]))
        let task = TaskFile(directory: dir, name: "t", steps: [TaskStep(.click(.image(path: image), button: .left, count: 1))])
        let (outcome, app, _) = await run(task)
        #expect(outcome.ending == .finished)
        #expect(app.performed == [.click(at: Point(x: 150, y: 120), button: .left, count: 1)])
    }

    @Test func offScreenPointIsAUsageError() async throws {
        let task = TaskFile(directory: NSTemporaryDirectory(), name: "t",
                            steps: [TaskStep(.click(.at(Point(x: 5000, y: 10)), button: .left, count: 1))])
        let (outcome, app, _) = await run(task)
        #expect(outcome.ending == .inputError)
        #expect(outcome.ending.exitStatus == .usage)
        #expect(app.performed.isEmpty)
    }

    @Test func backgroundSetupCommandsAreStopped() async throws {
        let launcher = ProcessLauncherForTests()
        let task = TaskFile(directory: NSTemporaryDirectory(), name: "t",
                            setup: [SetupItem(.run(.argv([TaskText("sleep"), TaskText("30")]), background: true, timeout: 60))],
                            steps: [TaskStep(.wait(seconds: 0))])
        let start = Date()
        let (outcome, _, _) = await run(task, launcher: launcher)
        #expect(outcome.ending == .finished)
        #expect(launcher.started == [["sleep", "30"]])
        // Stopped, not waited for: the run ends well inside the command's own 30 s.
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test func textTargetsAreRejectedUpFront() throws {
        let task = TaskFile(directory: "/", name: "t",
                            steps: [TaskStep(.click(.text("Save"), button: .left, count: 1), source: Self.source(7))])
        #expect {
            try TaskValidator.validate(task, hasModel: false, useAgent: false)
        } throws: { error in
            (error as? InputError)?.message == "task.yaml:7:3: \(TargetResolver.textUnavailable)"
        }
    }

    @Test func goalStepsNeedAModel() throws {
        let task = TaskFile(directory: "/", name: "t", steps: [TaskStep(.goal("do it", maxSteps: nil))])
        #expect(throws: InputError.self) { try TaskValidator.validate(task, hasModel: false, useAgent: false) }
        try TaskValidator.validate(task, hasModel: true, useAgent: false)
    }

    @Test func screenTextChecksAreRejectedUpFront() {
        let task = TaskFile(directory: "/", name: "t", steps: [TaskStep(.wait(seconds: 0))],
                            checks: [Check(.any([Check(.screenText("Saved"))]))])
        #expect(throws: InputError.self) { try TaskValidator.validate(task, hasModel: false, useAgent: false) }
    }
}
