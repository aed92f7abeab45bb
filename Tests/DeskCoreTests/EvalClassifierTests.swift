import DeskCore
import Foundation
import Testing

/// How eval judges a `deskpilot run` child from its exit status, result line, trace and stderr.
struct EvalClassifierTests {
    static let checks = ["file_exists /tmp/a (t.yaml:9:5)", "window class ~ /XTerm/ (t.yaml:10:5)"]

    static func summary(checks: [CheckEvent] = [], steps: Int = 2, end: RunEndEvent? = nil) -> TraceSummary {
        let t0 = Date(timeIntervalSince1970: 1_750_000_000)
        var events: [TraceEvent] = [.runStart(RunStartEvent(runID: "20250101-000000-abcd", time: t0, kind: .task, command: [],
                                                             screen: Size(width: 1024, height: 768), policy: "default",
                                                             dryRun: false, deskpilotVersion: "test"))]
        for i in 0..<steps {
            events.append(.step(StepEvent(step: i + 1, time: t0.addingTimeInterval(Double(i)), source: "click (\(i), 0)")))
        }
        events += checks.map { .check($0) }
        if let end { events.append(.runEnd(end)) }
        return TraceSummary(events: events)
    }

    @Test func passedRun() {
        let s = Self.summary(checks: [CheckEvent(name: Self.checks[0], passed: true, detail: "exists")],
                             end: RunEndEvent(time: Date(), status: .succeeded, steps: 2, durationS: 1))
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 0, ending: "finished", reason: "all 1 checks passed",
                                                           steps: 2, summary: s, taskChecks: Self.checks), attempt: 1)
        #expect(r.status == .passed)
        #expect(r.error == nil)
        #expect(r.steps == 2)
        #expect(r.checks == [EvalCheckOutcome(name: Self.checks[0], outcome: .passed, detail: "exists")])
    }

    @Test func failedCheckNamesTheCheck() {
        let s = Self.summary(checks: [CheckEvent(name: Self.checks[0], passed: false, detail: "/tmp/a does not exist"),
                                      CheckEvent(name: Self.checks[1], passed: true, detail: "found")])
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 1, ending: "check_failed",
                                                           reason: "check failed: file_exists /tmp/a", steps: 2,
                                                           summary: s, taskChecks: Self.checks), attempt: 2)
        #expect(r.status == .failed)
        #expect(r.attempt == 2)
        #expect(r.error == "check failed: file_exists /tmp/a")
        #expect(r.checks.map(\.outcome) == [.failed, .passed])
    }

    @Test func setupFailureListsChecksAsNotRun() {
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 1, ending: "step_failed",
                                                           reason: "setup: t.yaml:5:5: setup command [false] exited with 1",
                                                           steps: 0, summary: Self.summary(steps: 0), taskChecks: Self.checks),
                                           attempt: 1)
        #expect(r.status == .setupFailed)
        #expect(r.error?.contains("exited with 1") == true)
        #expect(r.checks.map(\.outcome) == [.notRun, .notRun])
        #expect(r.checks.map(\.name) == Self.checks)
    }

    @Test func environmentErrorDuringSetupIsStillASetupFailure() {
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 3, ending: "environment_error",
                                                           reason: "setup: the display :5 went away"), attempt: 1)
        #expect(r.status == .setupFailed)
    }

    @Test func killedRunIsACrashWithItsSignalAndLastStep() {
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 128 + 9, summary: Self.summary(steps: 3),
                                                           stderrTail: "some noise\nlast words\n", taskChecks: Self.checks),
                                           attempt: 1)
        #expect(r.status == .crashed)
        #expect(r.error?.contains("SIGKILL") == true)
        #expect(r.error?.contains("last step 3") == true)
        #expect(r.error?.hasSuffix("last words") == true)
        #expect(r.checks.allSatisfy { $0.outcome == .notRun })
    }

    @Test func timeoutWinsOverTheExitStatus() {
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 130, timedOut: true, timeout: 90, ending: "stopped",
                                                           reason: "received SIGTERM"), attempt: 1)
        #expect(r.status == .timeout)
        #expect(r.exitCode == nil)
        #expect(r.error?.contains("1m 30s") == true)
    }

    @Test(arguments: [(Int32(2), EvalRunStatus.error), (3, .error), (130, .error), (4, .failed), (5, .failed), (1, .failed)])
    func exitStatusesMap(code: Int32, expected: EvalRunStatus) {
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: code, ending: "x", reason: "why"), attempt: 1)
        #expect(r.status == expected)
        #expect(r.error == "why")
    }

    @Test func loadErrorWithoutResultLineUsesStderr() {
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 2, stderrTail: "deskpilot: t.yaml:3:1: unknown key 'stpes'\n"),
                                           attempt: 1)
        #expect(r.status == .error)
        #expect(r.error == "deskpilot: t.yaml:3:1: unknown key 'stpes'")
    }

    @Test func exitZeroWithoutAnyResultIsNotAPass() {
        let r = EvalRunClassifier.classify(EvalRunEvidence(exitCode: 0), attempt: 1)
        #expect(r.status == .crashed)
    }
}
