import DeskCore
import Foundation
import Synchronization

/// The one check point every action of a run passes before it reaches the input layer.
///
/// It gathers what the policy engine needs from the display (focused window, windows under the points,
/// the pointer), asks the engine, waits out rate-limit delays, asks a person for confirmations (or takes
/// `--yes`), and records executed actions back into the engine so typed-text rules see the whole stream.
public final class PolicyGate: Sendable {
    /// The engine, with everything it has recorded so far (a copy).
    public var engine: PolicyEngine { engineState.withLock { $0 } }
    private let engineState: Mutex<PolicyEngine>
    public let windows: (any WindowLookup)?
    public let prompt: (any PersonPrompt)?
    /// Approve confirmation gates without asking (`--yes`).
    public let autoApprove: Bool
    public let dryRun: Bool

    public init(policy: Policy, windows: (any WindowLookup)?, prompt: (any PersonPrompt)?, autoApprove: Bool,
                dryRun: Bool, startedAt: Double = MonotonicClock.now()) {
        self.engineState = Mutex(PolicyEngine(policy: policy, startedAt: startedAt))
        self.windows = windows
        self.prompt = prompt
        self.autoApprove = autoApprove
        self.dryRun = dryRun
    }

    /// The policy being enforced.
    public var policy: Policy { engineState.withLock { $0.policy } }

    /// Seconds left of the run's `max_duration` now, or `nil` without that limit.
    public var secondsLeft: Double? { engineState.withLock { $0.secondsLeft(now: MonotonicClock.now()) } }

    /// Judges `action` for step `step`; waits out `delay` verdicts (returning early on a stop request).
    ///
    /// `readingPastes: false` judges a paste chord without reading the selection, for a paste whose text
    /// deskpilot serves itself and has judged already (`act type --method paste`).
    public func check(_ action: ScreenAction, step: Int, readingPastes: Bool = true) throws -> GateResult {
        while true {
            try StopFlag.current.check()
            var context = makeContext(for: action, step: step)
            if readingPastes, let windows {
                context.pasted = Self.pasteSelections(of: action).map { windows.pasteContent(selection: $0) }
            }
            context.keymapCharacter = keymapCharacter(for: action)
            let decision = engineState.withLock { $0.evaluate(action, context: context) }
            switch decision.verdict {
            case .delay:
                Settler.sleep(min(max(decision.delaySeconds ?? 1, 0.01), 60))
                continue
            case .confirm:
                let answer: Bool?
                if dryRun {
                    answer = nil
                } else if autoApprove {
                    answer = true
                } else if let prompt, prompt.isInteractive {
                    answer = prompt.confirm("deskpilot: allow \(Self.describe(action))? (\(decision.reason))")
                } else {
                    answer = nil
                }
                let outcome = decision.outcome(dryRun: dryRun, personSaidYes: answer)
                return GateResult(decision: decision, outcome: outcome, context: context,
                                  note: answer == nil && !dryRun
                                    ? "needs confirmation and nobody can answer (no terminal; pass --yes to approve)" : nil)
            default:
                return GateResult(decision: decision, outcome: decision.outcome(dryRun: dryRun), context: context)
            }
        }
    }

    /// Continues the typed streams an earlier gate on the same display left (`act`).
    public func restoreTyped(_ streams: [String: TypedStream]) {
        engineState.withLock { $0.restoreTyped(streams) }
    }

    /// Tells the engine `action` ran (or would have, in a dry run).
    public func recordExecuted(_ action: ScreenAction, context: PolicyContext) {
        engineState.withLock { $0.recordExecuted(action, context: context) }
    }

    /// What a chord with Shift or AltGr types on the display's keymap; the keymap is read only for those.
    private func keymapCharacter(for action: ScreenAction) -> Character? {
        guard let windows, let chord = engineState.withLock({ $0.chord(of: action) }), let key = chord.key else { return nil }
        let modifiers = Set(chord.modifierClasses)
        guard !modifiers.isEmpty, modifiers.isSubset(of: [.shift, .altgr]), key.character != nil else { return nil }
        return windows.typedCharacter(of: chord)
    }

    private func makeContext(for action: ScreenAction, step: Int) -> PolicyContext {
        let focused = windows?.focusedWindow().map(Self.policyWindow)
        let atPoints = action.points.map { p in windows?.window(at: p).map(Self.policyWindow) }
        var pointer: Point?
        var pointerWindow: PolicyWindow?
        if action.points.isEmpty, let windows {
            pointer = windows.pointer()
            pointerWindow = pointer.flatMap { windows.window(at: $0) }.map(Self.policyWindow)
        }
        var context = PolicyContext(now: MonotonicClock.now(), step: step, dryRun: dryRun, focusedWindow: focused,
                                    windowsAtPoints: atPoints, pointer: pointer, pointerWindow: pointerWindow)
        switch action {
        case .key, .press: context.mouseKeysOn = windows?.mouseKeysEnabled() ?? false
        default: break
        }
        if case .drag(let from, let to, _) = action, let windows {
            // Every 8 pixels: narrower than any window a rule could name is worth judging.
            context.pathWindows = DragPath.points(from: from, to: to, spacing: 8).map { p in
                windows.window(at: p).map(Self.policyWindow)
            }
        }
        return context
    }

    /// The selections `action` may paste from: ctrl+v and ctrl+shift+v paste CLIPBOARD, shift+Insert
    /// CLIPBOARD or PRIMARY (toolkits differ), a middle click PRIMARY. A left-button drag, and the release
    /// that ends one made of mouse_down/move/mouse_up, may drop text: a drag that starts on selected text
    /// carries it, and the selected text is PRIMARY, so it is judged as a paste of PRIMARY wherever it ends.
    static func pasteSelections(of action: ScreenAction) -> [String] {
        switch action {
        case .key(let text):
            guard let chord = try? KeyChord.parse(text), let key = chord.key else { return [] }
            let modifiers = Set(chord.modifierClasses)
            if key.matchName == "v", modifiers == [.ctrl] || modifiers == [.ctrl, .shift] { return ["CLIPBOARD"] }
            if key.matchName == "insert" || key.matchName == "kp_insert", modifiers == [.shift] { return ["CLIPBOARD", "PRIMARY"] }
            return []
        case .click(_, .middle, _), .mouseDown(_, .middle):
            return ["PRIMARY"]
        case .drag(_, _, .left), .mouseUp(_, .left):
            return ["PRIMARY"]
        default:
            return []
        }
    }

    /// The policy engine's view of a window.
    public static func policyWindow(_ w: WindowSummary) -> PolicyWindow {
        PolicyWindow(id: UInt64(w.id), className: w.className, instanceName: w.instance, title: w.title)
    }

    /// A short human description of an action (`click (640,360)`, `type "hi"`), with typed text redacted
    /// by `redactor` when one is given.
    public static func describe(_ action: ScreenAction, redactor: Redactor? = nil) -> String {
        func text(_ s: String) -> String {
            let shown = redactor?.redact(s) ?? s
            let escaped = shown.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
            return escaped.count > 60 ? "\"\(escaped.prefix(57))…\"" : "\"\(escaped)\""
        }
        switch action {
        case .click(let p, let b, let n):
            let name = n >= 3 ? "triple_click" : n == 2 ? "double_click" : (b == .left ? "click" : "\(b.rawValue)_click")
            return p.map { "\(name) \($0)" } ?? name
        case .move(let p): return "move \(p)"
        case .drag(let a, let b, _): return "drag \(a)→\(b)"
        case .scroll(let p, let d, let n): return "scroll \(d.rawValue) \(n)" + (p.map { " at \($0)" } ?? "")
        case .key(let c): return "key \(c)"
        case .press(let k): return "press \(k)"
        case .release(let k): return "release \(k)"
        case .mouseDown(let p, let b): return "mouse_down \(b.rawValue)" + (p.map { " \($0)" } ?? "")
        case .mouseUp(let p, let b): return "mouse_up \(b.rawValue)" + (p.map { " \($0)" } ?? "")
        case .type(let t): return "type \(text(t))"
        case .wait(let s): return "wait \(s.formatted)s"
        case .finished(let m): return "finished" + (m.map { " \(text($0))" } ?? "")
        case .callUser(let q): return "call_user" + (q.map { " \(text($0))" } ?? "")
        case .infeasible(let r): return "infeasible" + (r.map { " \(text($0))" } ?? "")
        }
    }
}

/// The gate's answer for one action.
public struct GateResult: Sendable, Hashable {
    public var decision: PolicyDecision
    /// What finally happens to the action (a confirmation answered, a dry run).
    public var outcome: PolicyOutcome
    /// The facts the decision was made on (passed back to ``PolicyGate/recordExecuted(_:context:)``).
    public var context: PolicyContext
    /// Why a confirmation went unanswered, when it did.
    public var note: String?

    /// True when the action should be injected now.
    public var runs: Bool { outcome == .allow || outcome == .confirmed }
    /// True when the action counts as done without being injected (dry run).
    public var simulated: Bool { outcome == .dryRun }
    /// True when the policy's `on_violation: abort` ends the run.
    public var aborts: Bool { decision.verdict == .deny && decision.abortsRun }
    /// True when a run limit (`max_steps`, `max_duration`) of the policy was reached.
    public var limitReached: Bool { decision.verdict == .limit }

    /// The decision as the trace records it.
    public var traceDecision: TraceDecision {
        let verdict: TraceVerdict
        switch outcome {
        case .allow: verdict = .allow
        case .deny: verdict = .deny
        case .confirmed: verdict = .confirmed
        case .deniedByPerson: verdict = .deniedByPerson
        case .dryRun: verdict = .dryRun
        }
        return TraceDecision(verdict: verdict, rule: decision.rule, reason: note ?? decision.reason)
    }

    /// One word or short phrase for the live output.
    public var summary: String {
        switch outcome {
        case .allow: return "allow"
        case .confirmed: return "confirmed"
        case .dryRun: return "dry-run"
        case .deniedByPerson: return "denied by person"
        case .deny: return "deny (\(decision.rule ?? "policy"))"
        }
    }
}
