import DeskAgent
import DeskCore
import Testing
import DeskTestSupport

/// The no-progress counter and the run endings.
@Suite(.ownThread) struct LoopProgressTests {
    @Test func sameActionWithoutChangeWarnsAtThreeAndStopsAtFive() {
        var d = ProgressDetector()
        let click = ScreenAction.click(at: Point(x: 10, y: 10), button: .left, count: 1)
        let verdicts = (0..<5).map { _ in d.record(click, screenChanged: false) }
        #expect(verdicts == [.ok, .ok, .warn(repeats: 3), .warn(repeats: 4), .stop(repeats: 5)])
    }

    @Test func jitterCountsAsTheSameAction() {
        #expect(ProgressDetector.same(.click(at: Point(x: 10, y: 10), button: .left, count: 1),
                                      .click(at: Point(x: 14, y: 7), button: .left, count: 1), tolerance: 8))
        #expect(!ProgressDetector.same(.click(at: Point(x: 10, y: 10), button: .left, count: 1),
                                       .click(at: Point(x: 40, y: 10), button: .left, count: 1), tolerance: 8))
        #expect(!ProgressDetector.same(.click(at: Point(x: 10, y: 10), button: .left, count: 1),
                                       .click(at: Point(x: 10, y: 10), button: .right, count: 1), tolerance: 8))
        #expect(!ProgressDetector.same(.type(text: "a"), .type(text: "b"), tolerance: 8))
    }

    @Test func aChangeOrADifferentActionResets() {
        var d = ProgressDetector()
        let a = ScreenAction.key(chord: "ctrl+s")
        _ = d.record(a, screenChanged: false)
        _ = d.record(a, screenChanged: false)
        #expect(d.record(a, screenChanged: true) == .ok)
        #expect(d.repeats == 0)
        _ = d.record(a, screenChanged: false)
        #expect(d.record(.key(chord: "ctrl+o"), screenChanged: false) == .ok)
        #expect(d.repeats == 1)
    }

    @Test(arguments: [(RunEnding.finished, DeskCore.ExitStatus.success), (.checkFailed, .failure), (.callUser, .needsUser),
                      (.infeasible, .failure), (.maxSteps, .failure), (.tokenBudget, .failure), (.noProgress, .failure),
                      (.parseFailure, .failure), (.policyAbort, .policy), (.stopped, .stopped),
                      (.environmentError, .environment), (.inputError, .usage)])
    func endingsMapToTheCLIContract(ending: RunEnding, status: DeskCore.ExitStatus) {
        #expect(ending.exitStatus == status)
        #expect(ending.runStatus.exitStatus == status || ending == .inputError)
    }

    @Test func stepOutcomeLineNamesEveryPart() {
        let line = StepOutcome(step: 3, action: "click", target: "click (5,6)", modelSeconds: 0.25, tokens: 120,
                               decision: "allow", screenChanged: false, note: "press OK").line
        #expect(line == "step 3 | click | click (5,6) | model 0.25s | 120 tok | allow | no change — press OK")
    }
}
