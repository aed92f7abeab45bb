import Foundation

/// Judges each action of one run against a ``Policy``.
///
/// Owned by one run and stateful: it remembers what has been typed into each window (so a command split
/// over several actions is still caught), how many characters were typed, when recent actions ran (for the
/// rate limit) and which keys are held by `press`. It reads no clock and no display: the caller passes
/// both in ``PolicyContext``.
///
/// Call ``evaluate(_:context:)`` before an action and ``recordExecuted(_:context:)`` after the action ran
/// (also in dry-run, so the typed stream reflects what the model believes it typed). A denied action is
/// not recorded. Rules are checked in this order, the first objection deciding: run limits, action kinds,
/// key chords, typed text, windows, regions, rate, then confirmation rules.
public struct PolicyEngine: Sendable {
    /// The policy being enforced.
    public let policy: Policy
    /// When the run started, on the clock of ``PolicyContext/now``.
    public let startedAt: Double

    /// Characters typed so far in this run (what counts against `max_typed_characters`).
    public private(set) var typedCharacters = 0
    /// Keys held by `press` and not yet released, in press order.
    public private(set) var heldKeys: [KeyName] = []
    /// How many decisions of each verdict this engine has returned.
    public private(set) var verdictCounts: [PolicyDecision.Verdict: Int] = [:]

    private var streams: [String: TypedStream] = [:]
    private var streamOrder: [String] = []
    private var executedTimes: [Double] = []

    /// How many windows keep a typed stream; the least recently typed-into are forgotten first.
    public static let maximumStreams = 64
    /// The rate limit's window, in seconds.
    public static let rateWindow = 60.0

    public init(policy: Policy, startedAt: Double) {
        self.policy = policy
        self.startedAt = startedAt
    }

    /// Judges `action` in `context`.
    public mutating func evaluate(_ action: ScreenAction, context: PolicyContext) -> PolicyDecision {
        let decision = judge(action, context: context)
        verdictCounts[decision.verdict, default: 0] += 1
        return decision
    }

    /// Updates the typed stream, typed-character count, held keys and rate window after `action` ran.
    public mutating func recordExecuted(_ action: ScreenAction, context: PolicyContext) {
        if Self.countsTowardRate(action) {
            executedTimes.append(context.now)
            executedTimes.removeAll { $0 <= context.now - Self.rateWindow }
        }
        switch action {
        case .press(let name):
            if let key = try? KeyName.named(name), !heldKeys.contains(key) { heldKeys.append(key) }
        case .release(let name):
            if let key = try? KeyName.named(name) { heldKeys.removeAll { $0 == key } }
        default:
            break
        }
        let streamKey = Self.streamKey(context.focusedWindow)
        switch typedEffect(of: action, context: context) {
        case .none:
            break
        case .edit(let edit):
            streams[streamKey]?.apply(edit)
        case .resetAll:
            // A click may move the caret in any window (or focus another): no stream's line is known.
            for key in streams.keys { streams[key]?.apply(.reset) }
        case .text(let text):
            typedCharacters += text.count
            insert(text, into: streamKey)
        }
        // What a paste inserted continues the stream (after the reset its chord or click made).
        if case .text(let pasted)? = context.pasted.first(where: { if case .text = $0 { true } else { false } }) {
            insert(pasted, into: streamKey)
        }
    }

    private mutating func insert(_ text: String, into streamKey: String) {
        var stream = streams[streamKey] ?? TypedStream(limit: policy.text.streamLength)
        stream.apply(.insert(TextNormalizer.normalize(text)))
        streams[streamKey] = stream
        streamOrder.removeAll { $0 == streamKey }
        streamOrder.append(streamKey)
        if streamOrder.count > Self.maximumStreams {
            streams[streamOrder.removeFirst()] = nil
        }
    }

    /// Seconds left before `limits.max_duration` at `now`, or `nil` without that limit; waits are cut to it.
    public func secondsLeft(now: Double) -> Double? {
        policy.limits.maxDuration.map { max(0, $0 - (now - startedAt)) }
    }

    /// The normalised text recently typed into `window` (the edited reading, see ``TypedStream``).
    public func typedStream(for window: PolicyWindow?) -> String {
        streams[Self.streamKey(window)]?.edited ?? ""
    }

    /// Every reading of what was typed into `window` that the text rules judge (see ``TypedStream``).
    public func typedCandidates(for window: PolicyWindow?) -> [String] {
        streams[Self.streamKey(window)]?.candidates ?? [""]
    }

    /// The typed streams, to carry them from one `act` process to the next.
    public var typedState: [String: TypedStream] { streams }

    /// Continues the typed streams of an earlier engine on the same display (see ``typedState``).
    public mutating func restoreTyped(_ state: [String: TypedStream]) {
        for (key, stream) in state where streams[key] == nil {
            streams[key] = stream
            streamOrder.append(key)
        }
        while streamOrder.count > Self.maximumStreams { streams[streamOrder.removeFirst()] = nil }
    }

    // MARK: - Judging

    private func judge(_ action: ScreenAction, context: PolicyContext) -> PolicyDecision {
        if action.isTerminal { return .allowed }
        let limits = policy.limits
        if let maxSteps = limits.maxSteps, context.step > maxSteps {
            return PolicyDecision(verdict: .limit, rule: "limits.max_steps", ruleText: String(maxSteps),
                                  reason: "the run reached its limit of \(maxSteps) steps")
        }
        if let maxDuration = limits.maxDuration, context.now - startedAt >= maxDuration {
            return PolicyDecision(verdict: .limit, rule: "limits.max_duration", ruleText: "\(maxDuration.formatted)s",
                                  reason: "the run reached its time limit of \(maxDuration.formatted) seconds")
        }
        if let denial = judgeKind(action) { return denial }
        if case .type(let text) = action, let (position, scalar) = ControlCharacters.firstUntypable(in: text) {
            // `\b` or DEL would edit the field behind the typed stream's back; ESC starts sequences.
            return violation(rule: "text.control", ruleText: nil,
                             reason: "the text holds the control character \(ControlCharacters.describe(scalar)) at character \(position); only printable text, \\n and \\t are typed (press keys with a key action, like key BackSpace)")
        }

        let chords: [KeyChord]
        switch effectiveChords(of: action) {
        case .success(let list): chords = list
        case .failure(let error):
            return violation(rule: "keys", ruleText: nil, reason: "the key cannot be read: \(error.description)")
        }
        if let denial = judgeChords(chords, mouseKeysOn: context.mouseKeysOn) { return denial }
        if let denial = judgePastes(context) { return denial }

        let effect = typedEffect(of: action, context: context)
        var candidates: [(text: String, prefixUTF16: Int)] = []
        if case .text(let text) = effect {
            if let maxTyped = limits.maxTypedCharacters, typedCharacters + text.count > maxTyped {
                return violation(rule: "limits.max_typed_characters", ruleText: String(maxTyped),
                                 reason: "typing \(text.count) more characters would pass the run's limit of \(maxTyped) typed characters (\(typedCharacters) so far)")
            }
            candidates = textCandidates(text, window: context.focusedWindow)
            if let denial = deniedText(candidates, what: "typed text") { return denial }
        }

        let windows = relevantWindows(of: action, context: context)
        if let denial = judgeWindows(windows) { return denial }
        let points = relevantPoints(of: action, context: context)
        if let denial = judgeRegions(points) { return denial }

        if let rate = limits.maxActionsPerMinute, !context.dryRun, Self.countsTowardRate(action) {
            let recent = executedTimes.filter { $0 > context.now - Self.rateWindow }.sorted()
            if recent.count >= rate {
                let wait = max(0.001, recent[recent.count - rate] + Self.rateWindow - context.now)
                return PolicyDecision(verdict: .delay, rule: "limits.max_actions_per_minute", ruleText: String(rate),
                                      reason: "more than \(rate) actions per minute; waiting \(wait.formatted)s",
                                      delaySeconds: wait)
            }
        }

        for (index, rule) in policy.confirm.enumerated()
        where confirmRule(rule, matches: action, chords: chords, candidates: candidates, windows: windows, points: points) {
            return PolicyDecision(verdict: .confirm, rule: "confirm[\(index)]", ruleText: rule.reason,
                                  reason: rule.reason)
        }
        return .allowed
    }

    /// Every reading of the field that cannot be ruled out, with `text` added (see ``TypedStream``).
    private func textCandidates(_ text: String, window: PolicyWindow?) -> [(text: String, prefixUTF16: Int)] {
        let added = TextNormalizer.normalize(text)
        return typedCandidates(for: window).map { ($0 + added, $0.utf16.count) }
    }

    private func deniedText(_ candidates: [(text: String, prefixUTF16: Int)], what: String) -> PolicyDecision? {
        for (index, rule) in policy.text.deny.enumerated()
        where candidates.contains(where: { rule.pattern.matches($0.text, endingAfterUTF16Offset: $0.prefixUTF16) }) {
            return violation(rule: "text.deny[\(index)]", ruleText: rule.pattern.pattern,
                             reason: rule.reason.map { "\(what) is blocked: \($0)" }
                                ?? "the \(what) would match the blocked pattern /\(rule.pattern.pattern)/")
        }
        return nil
    }

    /// A paste is judged by what it inserts, as typed text is.
    private func judgePastes(_ context: PolicyContext) -> PolicyDecision? {
        for content in context.pasted {
            switch content {
            case .notRead, .empty:
                continue
            case .unknown:
                if !policy.text.deny.isEmpty {
                    return violation(rule: "text.paste", ruleText: nil,
                                     reason: "what this paste would insert cannot be read (the selection's owner sent no text in time), and this policy judges typed text")
                }
            case .text(let text):
                if let denial = deniedText(textCandidates(text, window: context.focusedWindow), what: "pasted text") {
                    return denial
                }
            }
        }
        return nil
    }

    private func violation(rule: String, ruleText: String?, reason: String) -> PolicyDecision {
        PolicyDecision(verdict: .deny, rule: rule, ruleText: ruleText, reason: reason,
                       abortsRun: policy.onViolation == .abort)
    }

    private func judgeKind(_ action: ScreenAction) -> PolicyDecision? {
        let kind = action.kind
        if let allow = policy.actions.allow, !allow.contains(kind) {
            return violation(rule: "actions.allow", ruleText: allow.map(\.rawValue).joined(separator: ", "),
                             reason: "'\(kind.rawValue)' actions are not allowed by this policy (allowed: \(allow.map(\.rawValue).joined(separator: ", ")))")
        }
        if let index = policy.actions.deny.firstIndex(of: kind) {
            return violation(rule: "actions.deny[\(index)]", ruleText: kind.rawValue,
                             reason: "'\(kind.rawValue)' actions are blocked by this policy")
        }
        return nil
    }

    private func judgeChords(_ chords: [KeyChord], mouseKeysOn: Bool) -> PolicyDecision? {
        for chord in chords {
            // MouseKeys keys click, drag and move the pointer where no pointer rule looks.
            if let key = chord.key, key.keysym.hasPrefix("Pointer_") {
                return violation(rule: "keys.pointer", ruleText: key.keysym,
                                 reason: "\(key.keysym) is a MouseKeys key (it clicks or moves the pointer unjudged); use click, drag and move actions")
            }
            // While MouseKeys is on (switched on by someone else: deskpilot never leaves it on), keypad keys
            // are pointer buttons and motion too.
            if mouseKeysOn, let key = chord.key, key.keysym.hasPrefix("KP_") {
                return violation(rule: "keys.pointer", ruleText: key.keysym,
                                 reason: "MouseKeys is on, so \(key.keysym) clicks or moves the pointer unjudged; use click, drag and move actions (or switch MouseKeys off)")
            }
            for (index, pattern) in policy.keys.deny.enumerated() where pattern.matches(chord, exactModifiers: false) {
                return violation(rule: "keys.deny[\(index)]", ruleText: pattern.text,
                                 reason: "the key chord \(chord.normalized) is blocked (matches '\(pattern.text)')")
            }
            for allow in [policy.keys.allow].compactMap({ $0 }) + policy.keys.floorAllow
            where !allow.contains(where: { $0.matches(chord, exactModifiers: true) }) {
                return violation(rule: "keys.allow", ruleText: allow.map(\.text).joined(separator: ", "),
                                 reason: "the key chord \(chord.normalized) is not among the allowed chords")
            }
        }
        return nil
    }

    private func judgeWindows(_ windows: [PolicyWindow?]) -> PolicyDecision? {
        for window in windows {
            if let window {
                for (index, matcher) in policy.windows.deny.enumerated() where matcher.matches(window) {
                    return violation(rule: "windows.deny[\(index)]", ruleText: matcher.description,
                                     reason: matcher.reason.map { "the window '\(window.title)' (\(window.className)) is off limits: \($0)" }
                                        ?? "the window '\(window.title)' (\(window.className)) is off limits")
                }
            }
            for allow in [policy.windows.allow].compactMap({ $0 }) + policy.windows.floorAllow {
                guard let window else {
                    return violation(rule: "windows.allow", ruleText: nil,
                                     reason: "the window this action would touch is unknown, and this policy allows only listed windows")
                }
                if !allow.contains(where: { $0.matches(window) }) {
                    return violation(rule: "windows.allow", ruleText: allow.map(\.description).joined(separator: "; "),
                                     reason: "the window '\(window.title)' (\(window.className)) is not among the allowed windows")
                }
            }
        }
        return nil
    }

    private func judgeRegions(_ points: [Point?]) -> PolicyDecision? {
        for point in points {
            if let point {
                for (index, rect) in policy.regions.deny.enumerated() where rect.contains(point) {
                    return violation(rule: "regions.deny[\(index)]", ruleText: "\(rect.x),\(rect.y),\(rect.width),\(rect.height)",
                                     reason: "the point \(point) is inside a blocked screen region \(rect)")
                }
            }
            for allow in [policy.regions.allow].compactMap({ $0 }) + policy.regions.floorAllow {
                guard let point else {
                    return violation(rule: "regions.allow", ruleText: nil,
                                     reason: "the pointer position is unknown, and this policy allows only listed screen regions")
                }
                if !allow.contains(where: { $0.contains(point) }) {
                    return violation(rule: "regions.allow", ruleText: allow.map(\.description).joined(separator: "; "),
                                     reason: "the point \(point) is outside the allowed screen regions")
                }
            }
        }
        return nil
    }

    private func confirmRule(_ rule: ConfirmRule, matches action: ScreenAction, chords: [KeyChord],
                             candidates: [(text: String, prefixUTF16: Int)], windows: [PolicyWindow?],
                             points: [Point?]) -> Bool {
        guard rule.hasCondition else { return false }
        if let kinds = rule.actions, !kinds.contains(action.kind) { return false }
        if let patterns = rule.keys,
           !chords.contains(where: { chord in patterns.contains { $0.matches(chord, exactModifiers: false) } }) {
            return false
        }
        if let pattern = rule.text {
            guard candidates.contains(where: { pattern.matches($0.text, endingAfterUTF16Offset: $0.prefixUTF16) }) else { return false }
        }
        if let matchers = rule.windows,
           !windows.contains(where: { window in window.map { w in matchers.contains { $0.matches(w) } } ?? false }) {
            return false
        }
        if let rects = rule.regions,
           !points.contains(where: { point in point.map { p in rects.contains { $0.contains(p) } } ?? false }) {
            return false
        }
        return true
    }

    // MARK: - What an action touches

    private static func countsTowardRate(_ action: ScreenAction) -> Bool {
        !action.isTerminal && action.kind != .wait
    }

    private static func streamKey(_ window: PolicyWindow?) -> String {
        guard let window else { return "?" }
        if let id = window.id { return "id:\(id)" }
        return "class:\(window.className)"
    }

    private var heldModifiers: [KeyName] { heldKeys.filter(\.isModifier) }

    /// True when held modifiers turn typing into shortcuts (anything but shift).
    private var shortcutModifierHeld: Bool {
        heldModifiers.contains { $0.modifierClass != .shift }
    }

    private func withHeld(_ chord: KeyChord) -> KeyChord {
        var modifiers = heldModifiers
        for modifier in chord.modifiers where !modifiers.contains(modifier) { modifiers.append(modifier) }
        return KeyChord(modifiers: modifiers, key: chord.key)
    }

    /// The chords an action presses, including modifiers held by earlier `press` actions.
    /// The chord a `key` or `press` action makes with the keys held now, or nil for other actions.
    public func chord(of action: ScreenAction) -> KeyChord? {
        switch action {
        case .key, .press:
            guard case .success(let chords) = effectiveChords(of: action) else { return nil }
            return chords.first
        default:
            return nil
        }
    }

    private func effectiveChords(of action: ScreenAction) -> Result<[KeyChord], KeyChordError> {
        switch action {
        case .key(let text):
            do throws(KeyChordError) {
                return .success([withHeld(try KeyChord.parse(text))])
            } catch {
                return .failure(error)
            }
        case .press(let name):
            do throws(KeyChordError) {
                let key = try KeyName.named(name)
                let chord = key.isModifier ? KeyChord(modifiers: [key], key: nil) : KeyChord(modifiers: [], key: key)
                return .success([withHeld(chord)])
            } catch {
                return .failure(error)
            }
        case .type(let text) where shortcutModifierHeld:
            var seen = Set<KeyName>()
            let keys = text.compactMap(KeyName.init(character:)).filter { seen.insert($0).inserted }
            return .success(keys.map { withHeld(KeyChord(modifiers: [], key: $0)) })
        default:
            return .success([])
        }
    }

    private enum TypedEffect {
        case none
        case text(String)
        case edit(TypedStream.Edit)
        case resetAll
    }

    /// What an action does to the focused window's text, as far as the policy can tell.
    private func typedEffect(of action: ScreenAction, context: PolicyContext) -> TypedEffect {
        switch action {
        case .type(let text):
            if text.isEmpty { return .none }
            // With ctrl, alt or super held, letters are shortcuts whose effect is unknown.
            return shortcutModifierHeld ? .edit(.reset) : .text(text)
        case .key, .press:
            guard case .success(let chords) = effectiveChords(of: action), let chord = chords.first,
                  let key = chord.key
            else { return .none }
            return Self.effect(of: key, modifiers: Set(chord.modifierClasses), keymapCharacter: context.keymapCharacter)
        case .click, .mouseDown, .drag:
            return .resetAll
        default:
            return .none
        }
    }

    /// What pressing `key` with `modifiers` does to a line of text.
    private static func effect(of key: KeyName, modifiers: Set<ModifierClass>, keymapCharacter: Character?) -> TypedEffect {
        let name = key.matchName
        if name == "backspace" {
            if modifiers.isSubset(of: [.shift]) { return .edit(.deleteBackward) }
            return modifiers.isSubset(of: [.ctrl, .alt, .shift]) ? .edit(.deleteWord) : .edit(.reset)
        }
        // Shift and AltGr choose a level of the key: what it types is what the display's keymap says
        // (shift+7 is '/' on a German layout, '&' on a US one).
        if let keymapCharacter, !modifiers.isEmpty, modifiers.isSubset(of: [.shift, .altgr]), key.character != nil {
            return .text(String(keymapCharacter))
        }
        if modifiers.contains(where: { $0 != .shift }) {
            // Terminals read these ctrl letters as editing keys or as Return and Tab.
            if modifiers == [.ctrl] {
                switch name {
                case "h": return .edit(.deleteBackward)
                case "w": return .edit(.deleteWord)
                case "u": return .edit(.killLine)
                case "m", "j": return .text("\n")
                case "i": return .text("\t")
                default: break
                }
            }
            return .edit(.reset)
        }
        let character = modifiers.contains(.shift) ? key.shiftedCharacter : key.character
        if let character { return .text(String(character)) }
        // Escape, Delete, caret moves, function keys: what they did to the line is unknown.
        return .edit(.reset)
    }

    private func relevantWindows(of action: ScreenAction, context: PolicyContext) -> [PolicyWindow?] {
        switch action {
        case .drag:
            let ends = action.points.indices.map { $0 < context.windowsAtPoints.count ? context.windowsAtPoints[$0] : nil }
            return ends + context.pathWindows
        case .click, .scroll, .mouseDown, .mouseUp:
            let points = action.points
            if points.isEmpty { return [context.pointerWindow] }
            return points.indices.map { $0 < context.windowsAtPoints.count ? context.windowsAtPoints[$0] : nil }
        case .key, .press, .type:
            return [context.focusedWindow]
        default:
            return []
        }
    }

    private func relevantPoints(of action: ScreenAction, context: PolicyContext) -> [Point?] {
        switch action {
        case .drag(let from, let to, _):
            return DragPath.points(from: from, to: to).map(Optional.some)
        case .click, .scroll, .mouseDown, .mouseUp:
            let points = action.points
            return points.isEmpty ? [context.pointer] : points.map(Optional.some)
        default:
            return []
        }
    }
}
