import Testing
@testable import DeskCore

/// Policies only tighten (issue 15, item 4): the floor (the daemon's or `run`'s `--policy`) intersected
/// with a job's or task's own policy, tested field by field on the engine's verdicts.
@Suite("Policy intersection")
struct PolicyIntersectionTests {
    static let terminal = PolicyWindow(id: 1, className: "XTerm", instanceName: "xterm", title: "bash")
    static let editor = PolicyWindow(id: 2, className: "Gedit", instanceName: "gedit", title: "notes.txt")

    static func verdict(_ policy: Policy, _ action: ScreenAction, focused: PolicyWindow? = terminal,
                        at windows: [PolicyWindow?] = [], now: Double = 10, step: Int = 1) -> PolicyDecision.Verdict {
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        return engine.evaluate(action, context: PolicyContext(now: now, step: step, focusedWindow: focused,
                                                              windowsAtPoints: windows)).verdict
    }

    /// Both orders: the floor on either side must give the same verdicts.
    static func both(_ a: Policy, _ b: Policy) -> [Policy] { [a.intersected(with: b), b.intersected(with: a)] }

    @Test func everyDenyOfBothApplies() throws {
        let floor = Policy(name: "floor", keys: KeyRules(deny: [try KeyChordPattern("ctrl+q")]),
                           windows: WindowRules(deny: [WindowMatcher(className: try PolicyRegex("^xterm$"))]),
                           regions: RegionRules(deny: [Rect(x: 0, y: 0, width: 10, height: 10)]))
        let job = Policy(name: "job", actions: ActionRules(deny: [.scroll]),
                         text: TextRules(deny: [TextRule(pattern: try PolicyRegex("rm -rf"))]))
        for policy in Self.both(floor, job) {
            #expect(Self.verdict(policy, .key(chord: "ctrl+q"), focused: Self.editor) == .deny)
            #expect(Self.verdict(policy, .key(chord: "a"), focused: Self.terminal) == .deny)
            #expect(Self.verdict(policy, .click(at: Point(x: 5, y: 5), button: .left, count: 1), at: [Self.editor]) == .deny)
            #expect(Self.verdict(policy, .scroll(at: Point(x: 50, y: 50), direction: .down, notches: 1), at: [Self.editor]) == .deny)
            #expect(Self.verdict(policy, .type(text: "rm -rf /"), focused: Self.editor) == .deny)
            #expect(Self.verdict(policy, .type(text: "ls"), focused: Self.editor) == .allow)
        }
    }

    @Test func allowListsIntersect() throws {
        let floor = Policy(name: "floor", actions: ActionRules(allow: [.click, .key, .type]),
                           keys: KeyRules(allow: [try KeyChordPattern("ctrl+c"), try KeyChordPattern("f*")]),
                           windows: WindowRules(allow: [WindowMatcher(className: try PolicyRegex("gedit|xterm"))]),
                           regions: RegionRules(allow: [Rect(x: 0, y: 0, width: 100, height: 100)]))
        let job = Policy(name: "job", actions: ActionRules(allow: [.click, .scroll, .type]),
                         keys: KeyRules(allow: [try KeyChordPattern("ctrl+c"), try KeyChordPattern("f1")]),
                         windows: WindowRules(allow: [WindowMatcher(className: try PolicyRegex("gedit"))]),
                         regions: RegionRules(allow: [Rect(x: 50, y: 50, width: 100, height: 100)]))
        for policy in Self.both(floor, job) {
            #expect(policy.actions.allow == [.click, .type] || policy.actions.allow == [.click, .type].reversed())
            #expect(Self.verdict(policy, .scroll(at: Point(x: 60, y: 60), direction: .down, notches: 1), at: [Self.editor]) == .deny)
            #expect(Self.verdict(policy, .type(text: "x"), focused: Self.editor) == .allow)
            #expect(Self.verdict(policy, .type(text: "x"), focused: Self.terminal) == .deny)
            #expect(Self.verdict(policy, .click(at: Point(x: 60, y: 60), button: .left, count: 1), at: [Self.editor]) == .allow)
            #expect(Self.verdict(policy, .click(at: Point(x: 20, y: 20), button: .left, count: 1), at: [Self.editor]) == .deny)
            #expect(Self.verdict(policy, .click(at: Point(x: 120, y: 120), button: .left, count: 1), at: [Self.editor]) == .deny)
        }
        // Keys need actions.allow to include key: check them on a policy that allows keys on both sides.
        var keysFloor = floor; keysFloor.actions = ActionRules()
        var keysJob = job; keysJob.actions = ActionRules()
        for policy in Self.both(keysFloor, keysJob) {
            #expect(Self.verdict(policy, .key(chord: "ctrl+c"), focused: Self.editor) == .allow)
            #expect(Self.verdict(policy, .key(chord: "F1"), focused: Self.editor) == .allow)
            #expect(Self.verdict(policy, .key(chord: "F2"), focused: Self.editor) == .deny)
        }
        // Allow-lists on one side only apply as they are.
        let open = Policy(name: "open")
        #expect(Self.both(floor, open).allSatisfy { $0.actions.allow == [.click, .key, .type] })
    }

    @Test func theSmallerLimitsWin() {
        let floor = Policy(name: "floor", limits: PolicyLimits(maxSteps: 10, maxDuration: 100, maxTypedCharacters: 5))
        let job = Policy(name: "job", limits: PolicyLimits(maxSteps: 50, maxDuration: 30, maxActionsPerMinute: 20))
        for policy in Self.both(floor, job) {
            #expect(policy.limits == PolicyLimits(maxSteps: 10, maxDuration: 30, maxActionsPerMinute: 20, maxTypedCharacters: 5))
            #expect(Self.verdict(policy, .key(chord: "a"), step: 11) == .limit)
            #expect(Self.verdict(policy, .key(chord: "a"), now: 31) == .limit)
            #expect(Self.verdict(policy, .type(text: "123456")) == .deny)
        }
    }

    @Test func abortPauseConfirmRedactAndKillSwitch() throws {
        let killSwitch = try KeyChord.parse("ctrl+alt+k")
        let floor = Policy(name: "floor", confirm: [ConfirmRule(actions: [.click], reason: "clicks")],
                           onViolation: .abort, redact: [try PolicyRegex("sk-[a-z]+")], killSwitch: killSwitch)
        let job = Policy(name: "job", actions: ActionRules(deny: [.scroll]),
                         confirm: [ConfirmRule(actions: [.type], reason: "typing")],
                         onViolation: .feedback, redact: [try PolicyRegex("pw=[0-9]+")], pauseOnUserInput: true)
        for policy in Self.both(floor, job) {
            #expect(policy.onViolation == .abort)
            #expect(policy.pauseOnUserInput)
            #expect(policy.confirm.count == 2)
            #expect(Self.verdict(policy, .type(text: "hello"), focused: Self.editor) == .confirm)
            #expect(Self.verdict(policy, .click(at: Point(x: 1, y: 1), button: .left, count: 1), at: [Self.editor]) == .confirm)
            #expect(policy.redactor().redact("sk-abc pw=123") == "[redacted] [redacted]")
            var engine = PolicyEngine(policy: policy, startedAt: 0)
            let denied = engine.evaluate(.scroll(at: Point(x: 1, y: 1), direction: .up, notches: 1),
                                         context: PolicyContext(now: 1, step: 1, windowsAtPoints: [Self.editor]))
            #expect(denied.verdict == .deny && denied.abortsRun)
        }
        #expect(floor.intersected(with: job).killSwitch == killSwitch)
        #expect(job.intersected(with: floor).killSwitch == Policy.defaultKillSwitch)
    }

    @Test func theLongerTypedStreamWins() {
        let floor = Policy(name: "floor", text: TextRules(streamLength: 2048))
        let job = Policy(name: "job", text: TextRules(streamLength: 16))
        #expect(Self.both(floor, job).allSatisfy { $0.text.streamLength == 2048 })
        #expect(floor.intersected(with: floor) == floor)
    }
}
