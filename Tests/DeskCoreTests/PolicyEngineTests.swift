import Testing
@testable import DeskCore

@Suite("Policy engine")
struct PolicyEngineTests {
    static let terminal = PolicyWindow(id: 1, className: "XTerm", instanceName: "xterm", title: "bash")
    static let editor = PolicyWindow(id: 2, className: "Gedit", instanceName: "gedit", title: "notes.txt")

    static func context(_ now: Double = 10, step: Int = 1, focused: PolicyWindow? = terminal,
                        at windows: [PolicyWindow?] = [], pointer: Point? = nil, dryRun: Bool = false) -> PolicyContext {
        PolicyContext(now: now, step: step, dryRun: dryRun, focusedWindow: focused, windowsAtPoints: windows,
                      pointer: pointer, pointerWindow: nil)
    }

    static func textPolicy(_ patterns: [String]) throws -> Policy {
        Policy(name: "t", text: TextRules(deny: try patterns.map { TextRule(pattern: try PolicyRegex($0)) }))
    }

    /// Runs `actions` in order (recording those allowed) and returns the last decision.
    static func run(_ engine: inout PolicyEngine, _ actions: [ScreenAction], context: PolicyContext = context()) -> PolicyDecision {
        var last = PolicyDecision.allowed
        for action in actions {
            last = engine.evaluate(action, context: context)
            if last.verdict == .allow { engine.recordExecuted(action, context: context) }
        }
        return last
    }

    @Test func terminalActionsAreAlwaysAllowed() {
        var engine = PolicyEngine(policy: Policy(name: "t", limits: PolicyLimits(maxSteps: 1),
                                                 actions: ActionRules(allow: [.click])), startedAt: 0)
        for action: ScreenAction in [.finished(message: nil), .callUser(question: "?"), .infeasible(reason: nil)] {
            #expect(engine.evaluate(action, context: Self.context(step: 50)).verdict == .allow)
        }
    }

    @Test func stepAndDurationLimitsEndTheRun() {
        var engine = PolicyEngine(policy: Policy(name: "t", limits: PolicyLimits(maxSteps: 3, maxDuration: 60)), startedAt: 100)
        let wait = ScreenAction.wait(seconds: 1)
        #expect(engine.evaluate(wait, context: Self.context(120, step: 3)).verdict == .allow)
        let steps = engine.evaluate(wait, context: Self.context(120, step: 4))
        #expect(steps.verdict == .limit)
        #expect(steps.rule == "limits.max_steps")
        let time = engine.evaluate(wait, context: Self.context(160, step: 1))
        #expect(time.verdict == .limit)
        #expect(time.rule == "limits.max_duration")
        #expect(engine.verdictCounts[.limit] == 2)
    }

    @Test func actionKindsAllowAndDeny() {
        var engine = PolicyEngine(policy: Policy(name: "t", actions: ActionRules(allow: [.click, .type], deny: [.type])), startedAt: 0)
        #expect(engine.evaluate(.click(at: Point(x: 1, y: 1), button: .left, count: 1), context: Self.context()).verdict == .allow)
        let double = engine.evaluate(.click(at: Point(x: 1, y: 1), button: .left, count: 2), context: Self.context())
        #expect(double.verdict == .deny)
        #expect(double.rule == "actions.allow")
        let type = engine.evaluate(.type(text: "hi"), context: Self.context())
        #expect(type.rule == "actions.deny[0]")
    }

    @Test func deniedChordsInEverySpelling() throws {
        let policy = Policy(name: "t", keys: KeyRules(deny: [try KeyChordPattern("ctrl+alt+backspace"),
                                                            try KeyChordPattern("ctrl+alt+delete"),
                                                            try KeyChordPattern("ctrl+alt+f*"),
                                                            try KeyChordPattern("super+l")]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        let cases: [(String, String)] = [
            ("alt ctrl BackSpace", "keys.deny[0]"), ("Control_R+Alt_L+Delete", "keys.deny[1]"),
            ("del+ctrl+alt", "keys.deny[1]"), ("ctrl+alt+F3", "keys.deny[2]"), ("Win+L", "keys.deny[3]"),
        ]
        for (chord, rule) in cases {
            let decision = engine.evaluate(.key(chord: chord), context: Self.context())
            #expect(decision.verdict == .deny, "\(chord)")
            #expect(decision.rule == rule, "\(chord)")
        }
        #expect(engine.evaluate(.key(chord: "ctrl+s"), context: Self.context()).verdict == .allow)
    }

    @Test func heldModifiersCountTowardTheChord() throws {
        let policy = Policy(name: "t", keys: KeyRules(deny: [try KeyChordPattern("ctrl+alt+delete")]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        let decision = Self.run(&engine, [.press(key: "ctrl"), .press(key: "alt"), .key(chord: "Delete")])
        #expect(decision.verdict == .deny)
        #expect(engine.heldKeys.map(\.keysym) == ["Control_L", "Alt_L"])
        // Pressing (not just tapping) the key while the modifiers are held is judged the same way.
        #expect(engine.evaluate(.press(key: "del"), context: Self.context()).verdict == .deny)
        _ = Self.run(&engine, [.release(key: "alt")])
        #expect(engine.evaluate(.key(chord: "Delete"), context: Self.context()).verdict == .allow)
    }

    @Test func typingWhileAModifierIsHeldIsJudgedAsChords() throws {
        let policy = Policy(name: "t", keys: KeyRules(deny: [try KeyChordPattern("super+l")]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        let decision = Self.run(&engine, [.press(key: "super"), .type(text: "hello")])
        #expect(decision.verdict == .deny)
        #expect(decision.rule == "keys.deny[0]")
    }

    @Test func keyAllowListIsExact() throws {
        let policy = Policy(name: "t", keys: KeyRules(allow: [try KeyChordPattern("ctrl+c"), try KeyChordPattern("return")]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        #expect(engine.evaluate(.key(chord: "ctrl c"), context: Self.context()).verdict == .allow)
        #expect(engine.evaluate(.key(chord: "enter"), context: Self.context()).verdict == .allow)
        let other = engine.evaluate(.key(chord: "ctrl+shift+c"), context: Self.context())
        #expect(other.verdict == .deny)
        #expect(other.rule == "keys.allow")
    }

    @Test func unreadableChordIsDenied() {
        var engine = PolicyEngine(policy: Policy(name: "t"), startedAt: 0)
        let decision = engine.evaluate(.key(chord: "ctrl+blorp"), context: Self.context())
        #expect(decision.verdict == .deny)
        #expect(decision.rule == "keys")
        #expect(decision.reason.contains("blorp"))
    }

    static let deniedTyping: [[ScreenAction]] = [
        [.type(text: "rm -rf /")],
        [.type(text: "ｒｍ －ｒｆ /")],
        [.type(text: "rm -r"), .type(text: "f /")],
        [.type(text: "rm -"), .key(chord: "r"), .key(chord: "f")],
        [.type(text: "rm -rx"), .key(chord: "BackSpace"), .type(text: "f")],
        [.type(text: "ѕudo reboot")],
        [.type(text: "s"), .type(text: "u"), .type(text: "d"), .type(text: "o")],
        [.type(text: "echo\u{200B} hi; rm -r -f tmp")],
    ]

    @Test(arguments: deniedTyping)
    func textDenyCatchesSplitAndDisguisedCommands(_ actions: [ScreenAction]) throws {
        var engine = PolicyEngine(policy: try Self.textPolicy([
            #"\brm\b(?=[^\n;&|]*\s(?:-[a-z]*r|--recursive))(?=[^\n;&|]*\s(?:-[a-z]*f|--force))[^\n;&|]*"#,
            #"\bsudo\b"#,
        ]), startedAt: 0)
        let decision = Self.run(&engine, actions)
        #expect(decision.verdict == .deny)
        #expect(decision.rule?.hasPrefix("text.deny[") == true)
    }

    @Test func harmlessTextPasses() throws {
        var engine = PolicyEngine(policy: try Self.textPolicy([#"\bsudo\b"#]), startedAt: 0)
        #expect(Self.run(&engine, [.type(text: "pseudo code"), .type(text: " and sudoku")]).verdict == .allow)
        #expect(engine.typedStream(for: Self.terminal) == "pseudo code and sudoku")
    }

    @Test func shiftAndAltGrChordsTypeWhatTheKeymapSays() throws {
        var engine = PolicyEngine(policy: try Self.textPolicy([#"of=/dev/"#, #"\|\s*sh\b"#]), startedAt: 0)
        // Without the keymap the US table applies: shift+7 is '&'.
        #expect(Self.run(&engine, [.type(text: "dd of="), .key(chord: "shift+7"), .type(text: "dev/sda")]).verdict == .allow)
        #expect(engine.typedStream(for: Self.terminal) == "dd of=&dev/sda")
        var german = Self.context(focused: Self.editor)
        german.keymapCharacter = "/"
        var engine2 = PolicyEngine(policy: try Self.textPolicy([#"of=/dev/"#]), startedAt: 0)
        #expect(Self.run(&engine2, [.type(text: "dd of=")], context: german).verdict == .allow)
        #expect(Self.run(&engine2, [.key(chord: "shift+7")], context: german).verdict == .allow)
        #expect(Self.run(&engine2, [.type(text: "dev/sda")], context: german).verdict == .deny)
        // AltGr alone no longer resets the line when the keymap names what it types.
        var bar = Self.context()
        bar.keymapCharacter = "|"
        _ = Self.run(&engine, [.type(text: "curl x ")])
        #expect(Self.run(&engine, [.key(chord: "altgr+less")], context: bar).verdict == .allow)
        #expect(Self.run(&engine, [.type(text: " sh")]).verdict == .deny)
        // Ctrl chords keep their editing meaning whatever the keymap says.
        var ctrl = Self.context(focused: Self.editor)
        ctrl.keymapCharacter = "u"
        _ = Self.run(&engine2, [.key(chord: "ctrl+u")], context: ctrl)
        #expect(engine2.typedStream(for: Self.editor) == "")
    }

    @Test func streamsAreKeptPerWindow() throws {
        var engine = PolicyEngine(policy: try Self.textPolicy([#"\bsudo\b"#]), startedAt: 0)
        #expect(Self.run(&engine, [.type(text: "su")], context: Self.context(focused: Self.terminal)).verdict == .allow)
        #expect(Self.run(&engine, [.type(text: "do")], context: Self.context(focused: Self.editor)).verdict == .allow)
        #expect(Self.run(&engine, [.type(text: "do")], context: Self.context(focused: Self.terminal)).verdict == .deny)
    }

    @Test func streamKeepsOnlyRecentCharacters() throws {
        var policy = try Self.textPolicy([#"\bsudo\b"#])
        policy.text.streamLength = 16
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        _ = Self.run(&engine, [.type(text: "su"), .type(text: String(repeating: "x", count: 40))])
        #expect(engine.typedStream(for: Self.terminal).count == 16)
    }

    @Test func typedCharacterLimit() {
        var engine = PolicyEngine(policy: Policy(name: "t", limits: PolicyLimits(maxTypedCharacters: 5)), startedAt: 0)
        #expect(Self.run(&engine, [.type(text: "abc")]).verdict == .allow)
        #expect(Self.run(&engine, [.key(chord: "d")]).verdict == .allow)
        let over = engine.evaluate(.type(text: "ef"), context: Self.context())
        #expect(over.verdict == .deny)
        #expect(over.rule == "limits.max_typed_characters")
        #expect(engine.typedCharacters == 4)
        #expect(engine.evaluate(.key(chord: "ctrl+s"), context: Self.context()).verdict == .allow, "shortcuts type nothing")
    }

    @Test func windowRulesUseThePointWindowForClicksAndTheFocusedWindowForKeys() throws {
        let policy = Policy(name: "t", windows: WindowRules(deny: [WindowMatcher(className: try PolicyRegex("^xterm$"))]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        let click = ScreenAction.click(at: Point(x: 5, y: 5), button: .left, count: 1)
        #expect(engine.evaluate(click, context: Self.context(focused: Self.editor, at: [Self.terminal])).rule == "windows.deny[0]")
        #expect(engine.evaluate(click, context: Self.context(focused: Self.terminal, at: [Self.editor])).verdict == .allow)
        #expect(engine.evaluate(.type(text: "x"), context: Self.context(focused: Self.terminal, at: [])).verdict == .deny)
        #expect(engine.evaluate(.type(text: "x"), context: Self.context(focused: Self.editor)).verdict == .allow)
        let drag = ScreenAction.drag(from: Point(x: 1, y: 1), to: Point(x: 9, y: 9), button: .left)
        #expect(engine.evaluate(drag, context: Self.context(at: [Self.editor, Self.terminal])).verdict == .deny, "the drop window counts")
    }

    @Test func windowMatchersNeedEveryGivenCondition() throws {
        let matcher = WindowMatcher(className: try PolicyRegex("gedit"), title: try PolicyRegex("secret"))
        #expect(!matcher.matches(Self.editor))
        #expect(matcher.matches(PolicyWindow(className: "Gedit", title: "Top SECRET plans")))
        #expect(matcher.matches(PolicyWindow(className: "Other", instanceName: "gedit", title: "secret")), "instance name counts")
        #expect(!WindowMatcher().matches(Self.editor))
    }

    @Test func windowAllowListRefusesUnknownWindows() throws {
        let policy = Policy(name: "t", windows: WindowRules(allow: [WindowMatcher(className: try PolicyRegex("gedit"))]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        #expect(engine.evaluate(.type(text: "x"), context: Self.context(focused: Self.editor)).verdict == .allow)
        #expect(engine.evaluate(.type(text: "x"), context: Self.context(focused: nil)).rule == "windows.allow")
        #expect(engine.evaluate(.type(text: "x"), context: Self.context(focused: Self.terminal)).rule == "windows.allow")
    }

    static let regionEdges: [(Point, Bool)] = [
        (Point(x: 100, y: 100), true), (Point(x: 149, y: 119), true), (Point(x: 150, y: 110), false),
        (Point(x: 120, y: 120), false), (Point(x: 99, y: 110), false), (Point(x: 120, y: 99), false),
    ]

    @Test(arguments: regionEdges)
    func regionDenyEdgesAreHalfOpen(_ example: (Point, Bool)) {
        let policy = Policy(name: "t", regions: RegionRules(deny: [Rect(x: 100, y: 100, width: 50, height: 20)]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        let decision = engine.evaluate(.click(at: example.0, button: .left, count: 1), context: Self.context())
        #expect((decision.verdict == .deny) == example.1, "\(example.0)")
        if example.1 { #expect(decision.rule == "regions.deny[0]") }
    }

    @Test func regionsJudgeDragEndsAndThePointerForPointlessClicks() {
        let policy = Policy(name: "t", regions: RegionRules(deny: [Rect(x: 0, y: 0, width: 10, height: 10)]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        #expect(engine.evaluate(.drag(from: Point(x: 50, y: 50), to: Point(x: 5, y: 5), button: .left), context: Self.context()).verdict == .deny)
        #expect(engine.evaluate(.click(at: nil, button: .left, count: 1), context: Self.context(pointer: Point(x: 1, y: 1))).verdict == .deny)
        #expect(engine.evaluate(.move(to: Point(x: 1, y: 1)), context: Self.context()).verdict == .allow, "moves are not judged")
    }

    @Test func regionAllowList() {
        let policy = Policy(name: "t", regions: RegionRules(allow: [Rect(x: 0, y: 0, width: 100, height: 100)]))
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        #expect(engine.evaluate(.scroll(at: Point(x: 50, y: 50), direction: .down, notches: 1), context: Self.context()).verdict == .allow)
        #expect(engine.evaluate(.scroll(at: Point(x: 100, y: 50), direction: .down, notches: 1), context: Self.context()).rule == "regions.allow")
        #expect(engine.evaluate(.click(at: nil, button: .left, count: 1), context: Self.context(pointer: nil)).rule == "regions.allow")
    }

    @Test func rateLimitDelaysUntilTheWindowFrees() {
        var engine = PolicyEngine(policy: Policy(name: "t", limits: PolicyLimits(maxActionsPerMinute: 3)), startedAt: 0)
        let click = ScreenAction.click(at: Point(x: 1, y: 1), button: .left, count: 1)
        for t in [0.0, 10, 20] {
            #expect(Self.run(&engine, [click], context: Self.context(t)).verdict == .allow)
        }
        #expect(engine.evaluate(.wait(seconds: 1), context: Self.context(30)).verdict == .allow, "waits are not rate limited")
        let fourth = engine.evaluate(click, context: Self.context(30))
        #expect(fourth.verdict == .delay)
        #expect(fourth.rule == "limits.max_actions_per_minute")
        #expect(abs((fourth.delaySeconds ?? 0) - 30) < 1e-9)
        #expect(engine.evaluate(click, context: Self.context(30, dryRun: true)).verdict == .allow, "dry runs are not throttled")
        #expect(engine.evaluate(click, context: Self.context(60.5)).verdict == .allow)
    }

    @Test func confirmRulesAskAPerson() throws {
        let rule = ConfirmRule(actions: [.type], windows: [WindowMatcher(title: try PolicyRegex("password"))], reason: "sign-in")
        var engine = PolicyEngine(policy: Policy(name: "t", confirm: [rule]), startedAt: 0)
        let login = PolicyWindow(className: "Firefox", title: "Enter password")
        let decision = engine.evaluate(.type(text: "x"), context: Self.context(focused: login))
        #expect(decision.verdict == .confirm)
        #expect(decision.rule == "confirm[0]")
        #expect(decision.reason == "sign-in")
        #expect(engine.evaluate(.key(chord: "return"), context: Self.context(focused: login)).verdict == .allow, "kind must match too")
        #expect(engine.evaluate(.type(text: "x"), context: Self.context(focused: Self.editor)).verdict == .allow)
    }

    @Test func confirmOnTextAndKeys() throws {
        let policy = Policy(name: "t", confirm: [
            ConfirmRule(text: try PolicyRegex("git push"), reason: "pushing"),
            ConfirmRule(keys: [try KeyChordPattern("ctrl+q")], reason: "quitting"),
        ])
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        #expect(Self.run(&engine, [.type(text: "git ")]).verdict == .allow)
        #expect(engine.evaluate(.type(text: "push"), context: Self.context()).rule == "confirm[0]")
        #expect(engine.evaluate(.key(chord: "ctrl+shift+q"), context: Self.context()).rule == "confirm[1]")
    }

    @Test func abortModeMarksDenials() {
        var engine = PolicyEngine(policy: Policy(name: "t", actions: ActionRules(deny: [.drag]), onViolation: .abort), startedAt: 0)
        let decision = engine.evaluate(.drag(from: Point(x: 0, y: 0), to: Point(x: 1, y: 1), button: .left), context: Self.context())
        #expect(decision.verdict == .deny)
        #expect(decision.abortsRun)
        #expect(!engine.evaluate(.wait(seconds: 1), context: Self.context()).abortsRun)
    }

    @Test func stricterLimitWins() {
        let policy = PolicyLimits(maxSteps: 100, maxDuration: 600, maxActionsPerMinute: nil, maxTypedCharacters: 50)
        let cli = PolicyLimits(maxSteps: 20, maxDuration: 1200, maxActionsPerMinute: 30)
        let merged = policy.merged(with: cli)
        #expect(merged == PolicyLimits(maxSteps: 20, maxDuration: 600, maxActionsPerMinute: 30, maxTypedCharacters: 50))
        #expect(Policy(name: "t", limits: policy).mergingLimits(cli).limits == merged)
    }

    @Test func outcomesForTheTrace() {
        #expect(PolicyDecision.allowed.outcome(dryRun: false) == .allow)
        #expect(PolicyDecision.allowed.outcome(dryRun: true) == .dryRun)
        let confirm = PolicyDecision(verdict: .confirm, rule: "confirm[0]", reason: "r")
        #expect(confirm.outcome(dryRun: false, personSaidYes: true) == .confirmed)
        #expect(confirm.outcome(dryRun: false, personSaidYes: false) == .deniedByPerson)
        #expect(confirm.outcome(dryRun: false) == .deniedByPerson)
        #expect(PolicyDecision(verdict: .deny, reason: "r").outcome(dryRun: true) == .deny)
        #expect(PolicyOutcome.deniedByPerson.rawValue == "denied-by-person")
    }
}
