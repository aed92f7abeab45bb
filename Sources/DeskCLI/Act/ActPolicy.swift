import DeskAgent
import DeskConfig
import DeskCore
import DeskRuntime
import DeskX11
import Foundation

/// The policy check of one `act` command: the policy gate a run uses, fed with the modifiers the display
/// reports held (so `act press ctrl`, `act press alt`, `act key Delete` is judged as ctrl+alt+Delete, as
/// within a run) and with the display's typed-text streams of the last minute (``ActTypedStreams``), so
/// `act type "rm -r"` then `act type " -f /"` is judged as one command. Rate limits do not carry over.
struct ActPolicy {
    let gate: PolicyGate
    let name: String
    let streams: ActTypedStreams
    /// The streams as loaded: an action that leaves them as they were (a move, a key that types nothing)
    /// does not rewrite the file.
    let loadedStreams: [String: TypedStream]

    /// Loads the policy (exit 2 on a bad one) and prepares the gate for `display`.
    static func load(_ options: ActPolicyOptions, display: X11Display) throws -> ActPolicy {
        let policy = try PolicyLoader.load(nameOrPath: options.reference)
        let gate = PolicyGate(policy: policy, windows: X11WindowLookup(display: display), prompt: TerminalPrompt(),
                              autoApprove: options.yes, dryRun: false)
        let now = MonotonicClock.now()
        for key in heldModifiers(display) {
            gate.recordExecuted(.press(key: key.keysym), context: PolicyContext(now: now, step: 0))
        }
        let streams = ActTypedStreams(display: display.name)
        gate.restoreTyped(streams.load())
        return ActPolicy(gate: gate, name: policy.name, streams: streams, loadedStreams: gate.engine.typedState)
    }

    /// Throws ``ActPolicyDenial`` (exit 4) unless the policy lets `action` run now.
    func permit(_ action: ScreenAction, readingPastes: Bool = true) throws {
        let result = try gate.check(action, step: 1, readingPastes: readingPastes)
        guard result.runs else {
            throw ActPolicyDenial(policy: name, action: PolicyGate.describe(action), decision: result.decision,
                                  outcome: result.outcome, note: result.note)
        }
        gate.recordExecuted(action, context: result.context)
        let typed = gate.engine.typedState
        if typed != loadedStreams, let problem = streams.save(typed) {
            FileHandle.standardError.write(Data("deskpilot: \(problem); the next act command starts a new typed stream\n".utf8))
        }
    }

    /// Judges again every key an earlier `act press` keeps down (the process that pressed it is gone: the
    /// journal lists it) and lets go of those the policy refuses, with one line each on stderr: at the
    /// start of every `act` (in the window that has the keyboard), before an action that moves the pointer
    /// or adds a modifier (`before`), and before the focus moves (`focusing`). So a held key is released
    /// before its release, or anything else, reaches a refused context.
    func rejudgeKept(_ injector: InputInjector, before action: ScreenAction? = nil, focusing window: UInt? = nil) {
        let kept = injector.keptKeys
        guard !kept.isEmpty else { return }
        let names = kept.map(\.name)
        let refused: [HeldKeyRefusal]
        if let action {
            refused = gate.refusedHeldKeys(names, before: action)
        } else if let window {
            refused = gate.refusedHeldKeys(names, windows: [gate.windows?.windows().first { $0.id == window }.map(PolicyGate.policyWindow)])
        } else {
            refused = gate.refusedHeldKeys(names)
        }
        for refusal in refused {
            guard let key = kept.first(where: { $0.name == refusal.key }) else { continue }
            injector.releaseKept(key)
            gate.recordExecuted(.release(key: key.name), context: PolicyContext(now: MonotonicClock.now(), step: 1))
            let denial = ActPolicyDenial(policy: name, action: PolicyGate.describe(refusal.judged), decision: refusal.decision,
                                         outcome: .deny, note: refusal.decision.verdict == .confirm ? "needs a confirmation nobody gave" : nil)
            FileHandle.standardError.write(Data("deskpilot: released \(key.name), held down by an earlier act press: \(denial)\n".utf8))
        }
    }

    /// Throws ``ActPolicyDenial`` unless the policy's window rules let `window` get the focus.
    func permitFocus(_ window: UInt, display: X11Display) throws {
        let info = display.windows().first { $0.id == window }
        let (instance, className) = info.map { ($0.instance, $0.className) } ?? display.windowClass(window)
        let target = PolicyWindow(id: UInt64(window), className: className, instanceName: instance, title: info?.title ?? "")
        let decision = FocusJudgement.judge(target, policy: gate.policy)
        guard decision.verdict == .allow else {
            throw ActPolicyDenial(policy: name, action: "focus 0x\(String(window, radix: 16))", decision: decision,
                                  outcome: .deny, note: nil)
        }
    }

    /// The modifier keys the server reports down now (from any device: earlier `act press` commands, or a
    /// person's hands).
    static func heldModifiers(_ display: X11Display) -> [KeyName] {
        let held = display.pressedKeycodes()
        guard !held.isEmpty, let map = try? KeymapSnapshot.capture(display), map.keysymsPerKeycode > 0 else { return [] }
        let keysyms: [UInt32] = held.compactMap { keycode in
            let index = (keycode - map.minKeycode) * map.keysymsPerKeycode
            guard index >= 0, index < map.coreKeysyms.count else { return nil }
            return UInt32(truncatingIfNeeded: map.coreKeysyms[index])
        }
        return HeldModifiers.keyNames(heldKeysyms: keysyms)
    }
}
