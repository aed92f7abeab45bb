import DeskAgent
import DeskCore
import DeskModels
import Foundation
import Synchronization
import Testing
import DeskTestSupport

/// The agent loop with a ``ScreenPlanner`` in the model's place (the `local` dialect): same policy gate,
/// same trace events, same limits.
@Suite(.ownThread) struct LoopPlannerTests {
    /// A planner that answers from a script, one decision per observation.
    final class ScriptedPlanner: ScreenPlanner, Sendable {
        private let state: Mutex<(script: [Result<PlannerDecision, StepFailure>], observations: Int)>
        var observations: Int { state.withLock { $0.observations } }

        init(_ script: [Result<PlannerDecision, StepFailure>]) { state = Mutex((script, 0)) }

        func next(frame: Frame, windows: [WindowSummary]) throws -> PlannerDecision {
            let next: Result<PlannerDecision, StepFailure> = state.withLock { state in
                state.observations += 1
                return state.script.isEmpty ? .success(.finished("script over")) : state.script.removeFirst()
            }
            return try next.get()
        }
    }

    struct Harness {
        let app: FakeApp
        let loop: AgentLoop
        let reporter: CollectingReporter
        let traceDir: String
    }

    static func harness(_ planner: ScriptedPlanner, policy: Policy = Policy(name: "test"),
                        configuration: AgentConfiguration = AgentConfiguration()) throws -> Harness {
        let app = FakeApp()
        let executor = makeExecutor(app: app, policy: policy)
        let reporter = CollectingReporter()
        let dir = try temporaryFolder()
        let trace = RunTrace(recorder: try TraceRecorder(parent: dir, redactor: { $0 }), codec: FakeCodec())
        let loop = AgentLoop(configuration: configuration, planner: { _ in planner }, executor: executor, trace: trace,
                             reporter: reporter, redactor: Redactor())
        return Harness(app: app, loop: loop, reporter: reporter, traceDir: dir)
    }

    static func steps(in dir: String) throws -> [StepEvent] {
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir).filter { RunID($0) != nil }
        let run = try #require(runs.first)
        let text = try String(contentsOfFile: dir + "/" + run + "/trace.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").compactMap {
            if case .step(let s) = try TraceCoding.event(fromLine: String($0)) { s } else { nil }
        }
    }

    @Test func decisionsBecomeStepsWithThoughtsAndActions() async throws {
        let planner = ScriptedPlanner([
            .success(.act([.click(at: Point(x: 150, y: 120), button: .left, count: 1)], thought: "step 1: click 'OK'")),
            .success(.wait(seconds: 0.01, thought: "waiting for 'Saved'")),
            .success(.act([.type(text: "hello")], thought: "step 2: type 'hello'")),
            .success(.finished("done")),
        ])
        let h = try Self.harness(planner)
        let outcome = await h.loop.run(goal: "click OK, wait for Saved, type 'hello'")
        #expect(outcome.ending == .finished)
        #expect(outcome.reason == "done")
        // The wait is no step: two acts and the finish.
        #expect(outcome.steps == 3)
        #expect(planner.observations == 4)
        #expect(h.app.clicked == ["OK"])
        #expect(h.app.typed == "hello")
        let steps = try Self.steps(in: h.traceDir)
        #expect(steps.map(\.step) == [1, 2, 3])
        #expect(steps[0].thought == "step 1: click 'OK'")
        #expect(steps[0].answer?.contains("click (150,120)") == true)
        let click = try #require(steps[0].actions.first)
        #expect(click.executed)
        #expect(click.decision?.verdict == .allow)
        #expect(click.modelAction == .click(at: ModelPoint(x: 150, y: 120), button: .left, count: 1))
        #expect(click.points?.first?.screen == Point(x: 150, y: 120))
        #expect(steps[2].actions.first?.action == .finished(message: "done"))
        #expect(h.reporter.steps.map(\.action) == ["click", "type", "finished"])
        #expect(h.reporter.steps.allSatisfy { $0.tokens == nil })
    }

    @Test func aPlannerErrorEndsTheRunWithItsExitStatus() async throws {
        let planner = ScriptedPlanner([.failure(StepFailure("step 1 (click 'Save'): no text matching 'Save'"))])
        let h = try Self.harness(planner)
        let outcome = await h.loop.run(goal: "click Save")
        #expect(outcome.ending == .stepFailed)
        #expect(outcome.reason.contains("no text matching 'Save'"))
        #expect(try Self.steps(in: h.traceDir).first?.error?.contains("no text matching") == true)
    }

    @Test func aGoalThePlannerCannotReadIsAUsageError() async throws {
        let app = FakeApp()
        let loop = AgentLoop(configuration: AgentConfiguration(), planner: { goal in throw InputError("cannot read '\(goal)'") },
                             executor: makeExecutor(app: app), trace: .none(codec: FakeCodec()),
                             reporter: CollectingReporter(), redactor: Redactor())
        let outcome = await loop.run(goal: "frobnicate")
        #expect(outcome.ending == .inputError)
        #expect(outcome.ending.exitStatus == .usage)
        #expect(outcome.steps == 0)
    }

    @Test func everyActionPassesThePolicy() async throws {
        var policy = Policy(name: "test")
        policy.keys.deny = [try KeyChordPattern("ctrl+s")]
        let planner = ScriptedPlanner([.success(.act([.key(chord: "ctrl+s")], thought: "press ctrl+s"))])
        let h = try Self.harness(planner, policy: policy)
        let outcome = await h.loop.run(goal: "press ctrl+s")
        #expect(outcome.ending == .stepFailed)
        #expect(outcome.reason.contains("policy denied"))
        #expect(!h.app.performed.contains(.key(chord: "ctrl+s")))
        #expect(try Self.steps(in: h.traceDir).first?.actions.first?.decision?.verdict == .deny)
    }

    @Test func theStepLimitHolds() async throws {
        let click = PlannerDecision.act([.click(at: Point(x: 150, y: 120), button: .left, count: 1)], thought: "again")
        let planner = ScriptedPlanner(Array(repeating: .success(click), count: 10))
        let h = try Self.harness(planner, configuration: AgentConfiguration(maxSteps: 3))
        let outcome = await h.loop.run(goal: "click OK forever")
        #expect(outcome.ending == .maxSteps)
        #expect(outcome.steps == 3)
    }

    @Test func theLocalDialectIsRegisteredAndNeedsNoEndpoint() throws {
        let local = try DialectRegistry.named("local")
        #expect(!local.needsEndpoint)
        #expect(local.sendSize(for: Size(width: 3840, height: 2160)) == Size(width: 3840, height: 2160))
    }
}

/// Which stop flag a wait watches: the job's own inside a daemon job, the process-wide one elsewhere.
@Suite(.ownThread) struct LoopStopFlagTests {
    @Test func aScopedFlagStopsOnlyItsOwnWork() async {
        let mine = StopFlag(parent: .shared)
        let other = StopFlag(parent: .shared)
        #expect(StopFlag.current === StopFlag.shared)
        mine.request("DELETE /jobs/1")
        let seen: (String?, String?) = await StopFlag.$scoped.withValue(mine) {
            // Synchronous code the job's task calls sees the job's flag too.
            let sync = { StopFlag.current.requested }
            return (sync(), await Task { StopFlag.current.requested }.value)
        }
        #expect(seen.0 == "DELETE /jobs/1")
        #expect(seen.1 == "DELETE /jobs/1")
        let otherSeen = StopFlag.$scoped.withValue(other) { StopFlag.current.requested }
        #expect(otherSeen == nil)
        #expect(StopFlag.shared.requested == nil)
    }

    @Test func aScopedFlagSeesItsParentsStop() {
        let parent = StopFlag()
        let child = StopFlag(parent: parent)
        #expect(child.requested == nil)
        parent.request("SIGTERM")
        #expect(child.requested == "SIGTERM")
        #expect(throws: StoppedError.self) { try child.check() }
    }

    @Test func aWaitInsideAJobEndsWhenTheJobIsStopped() async {
        let flag = StopFlag(parent: .shared)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { flag.request("stop job") }
        let app = FakeApp()
        let task = TaskFile(directory: "/", name: "t", steps: [TaskStep(.wait(seconds: 20))])
        let runner = TaskRunner(task: task, executor: makeExecutor(app: app), trace: .none(codec: FakeCodec()),
                                reporter: CollectingReporter(), agent: nil)
        let outcome = await StopFlag.$scoped.withValue(flag) { await runner.run() }
        #expect(outcome.ending == .stopped)  // a wait that ran out would end .finished
        #expect(StopFlag.shared.requested == nil)
    }
}
