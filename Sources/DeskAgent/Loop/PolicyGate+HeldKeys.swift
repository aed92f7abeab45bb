import DeskCore

/// A held key that would be carried into a context the policy refuses it in.
public struct HeldKeyRefusal: Sendable {
    /// The key's name, as pressed (`q`, `Control_L`).
    public var key: String
    /// What it was judged as: `press q` in the new window, or `key ctrl+q` when a modifier is added.
    public var judged: ScreenAction
    public var decision: PolicyDecision
}

extension PolicyGate {
    /// Judges again each of the `held` keys as if pressed now with `addingModifiers`, in each of `windows`
    /// (default: the window that has the keyboard now), and returns those the policy refuses (`deny`,
    /// `limit`, or a `confirm` nobody gave). Nothing is recorded: the caller releases them.
    public func refusedHeldKeys(_ held: [String], windows candidates: [PolicyWindow?]? = nil,
                                addingModifiers: [String] = []) -> [HeldKeyRefusal] {
        guard !held.isEmpty else { return [] }
        let windows = candidates ?? [self.windows?.focusedWindow().map(Self.policyWindow)]
        var refused: [HeldKeyRefusal] = []
        for key in held {
            let others = addingModifiers.filter { (try? KeyName.named($0)) != (try? KeyName.named(key)) }
            let judged: ScreenAction = others.isEmpty ? .press(key: key) : .key(chord: (others + [key]).joined(separator: "+"))
            for window in windows {
                var copy = engine  // judging again records nothing
                let decision = copy.evaluate(judged, context: PolicyContext(now: MonotonicClock.now(), step: 1, focusedWindow: window))
                if decision.verdict == .deny || decision.verdict == .confirm || decision.verdict == .limit {
                    refused.append(HeldKeyRefusal(key: key, judged: judged, decision: decision))
                    break
                }
            }
        }
        return refused
    }

    /// ``refusedHeldKeys(_:windows:addingModifiers:)`` for the context `action` is about to change: the
    /// pointer going to its points (the window under each may get the keyboard: a click focuses it, and
    /// without a window manager the focus follows the pointer), or a modifier it adds. Other actions
    /// change nothing and refuse nothing.
    public func refusedHeldKeys(_ held: [String], before action: ScreenAction) -> [HeldKeyRefusal] {
        guard !held.isEmpty else { return [] }
        switch action {
        case .click, .move, .drag, .scroll, .mouseDown, .mouseUp:
            guard !action.points.isEmpty else { return [] }
            let focus = windows?.focusedWindow().map(Self.policyWindow)
            let under = action.points.map { p in windows?.window(at: p).map(Self.policyWindow) }
            return refusedHeldKeys(held, windows: [focus] + under)
        case .key(let chord):
            guard let parsed = try? KeyChord.parse(chord), !parsed.modifiers.isEmpty else { return [] }
            return refusedHeldKeys(held, addingModifiers: parsed.modifiers.map(\.keysym))
        case .press(let key):
            guard let name = try? KeyName.named(key), name.isModifier else { return [] }
            return refusedHeldKeys(held.filter { (try? KeyName.named($0)) != name }, addingModifiers: [name.keysym])
        default:
            return []
        }
    }

    /// Takes over the keys `performer` adopted as kept down by an earlier `act press`: records them as held
    /// (so chords include them and later actions judge them again), and lets go of those the policy refuses
    /// in the window that has the keyboard now, calling `report` with one line each.
    public func adoptKept(from performer: any ActionPerformer, report: (String) -> Void) {
        let kept = performer.keptKeyNames
        guard !kept.isEmpty else { return }
        let now = PolicyContext(now: MonotonicClock.now(), step: 0)
        for key in kept { recordExecuted(.press(key: key), context: now) }
        for refusal in refusedHeldKeys(kept) {
            guard (try? performer.perform(.release(key: refusal.key))) != nil else { continue }
            recordExecuted(.release(key: refusal.key), context: now)
            let rule = refusal.decision.rule.map { " (\($0))" } ?? ""
            report("released \(refusal.key), held down by an earlier act press: \(Self.describe(refusal.judged)) is refused\(rule): \(refusal.decision.reason)")
        }
    }

    /// The keys the run holds down now (pressed by `press` actions and not released), by name.
    public var heldKeyNames: [String] { engine.heldKeys.map(\.keysym) }
}
