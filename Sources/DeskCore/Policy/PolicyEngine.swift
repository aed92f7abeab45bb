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

    private var streams: [String: String] = [:]
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
        switch typedEffect(of: action) {
        case .none:
            break
        case .backspace:
            if var stream = streams[streamKey], !stream.isEmpty {
                stream.removeLast()
                streams[streamKey] = stream
            }
        case .text(let text):
            typedCharacters += text.count
            var stream = (streams[streamKey] ?? "") + TextNormalizer.normalize(text)
            if stream.count > policy.text.streamLength { stream = String(stream.suffix(policy.text.streamLength)) }
            streams[streamKey] = stream
            streamOrder.removeAll { $0 == streamKey }
            streamOrder.append(streamKey)
            if streamOrder.count > Self.maximumStreams {
                streams[streamOrder.removeFirst()] = nil
            }
        }
    }

    /// The normalised text recently typed into `window` (as the text rules see it).
    public func typedStream(for window: PolicyWindow?) -> String {
        streams[Self.streamKey(window)] ?? ""
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

        let chords: [KeyChord]
        switch effectiveChords(of: action) {
        case .success(let list): chords = list
        case .failure(let error):
            return violation(rule: "keys", ruleText: nil, reason: "the key cannot be read: \(error.description)")
        }
        if let denial = judgeChords(chords) { return denial }

        let effect = typedEffect(of: action)
        let stream = typedStream(for: context.focusedWindow)
        var candidate: (text: String, prefixUTF16: Int)?
        if case .text(let text) = effect {
            if let maxTyped = limits.maxTypedCharacters, typedCharacters + text.count > maxTyped {
                return violation(rule: "limits.max_typed_characters", ruleText: String(maxTyped),
                                 reason: "typing \(text.count) more characters would pass the run's limit of \(maxTyped) typed characters (\(typedCharacters) so far)")
            }
            candidate = (stream + TextNormalizer.normalize(text), stream.utf16.count)
            for (index, rule) in policy.text.deny.enumerated()
            where rule.pattern.matches(candidate!.text, endingAfterUTF16Offset: candidate!.prefixUTF16) {
                return violation(rule: "text.deny[\(index)]", ruleText: rule.pattern.pattern,
                                 reason: rule.reason.map { "typed text is blocked: \($0)" }
                                    ?? "the typed text would match the blocked pattern /\(rule.pattern.pattern)/")
            }
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
        where confirmRule(rule, matches: action, chords: chords, candidate: candidate, windows: windows, points: points) {
            return PolicyDecision(verdict: .confirm, rule: "confirm[\(index)]", ruleText: rule.reason,
                                  reason: rule.reason)
        }
        return .allowed
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

    private func judgeChords(_ chords: [KeyChord]) -> PolicyDecision? {
        for chord in chords {
            for (index, pattern) in policy.keys.deny.enumerated() where pattern.matches(chord, exactModifiers: false) {
                return violation(rule: "keys.deny[\(index)]", ruleText: pattern.text,
                                 reason: "the key chord \(chord.normalized) is blocked (matches '\(pattern.text)')")
            }
            if let allow = policy.keys.allow, !allow.contains(where: { $0.matches(chord, exactModifiers: true) }) {
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
            if let allow = policy.windows.allow {
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
            if let allow = policy.regions.allow {
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
                             candidate: (text: String, prefixUTF16: Int)?, windows: [PolicyWindow?],
                             points: [Point?]) -> Bool {
        guard rule.hasCondition else { return false }
        if let kinds = rule.actions, !kinds.contains(action.kind) { return false }
        if let patterns = rule.keys,
           !chords.contains(where: { chord in patterns.contains { $0.matches(chord, exactModifiers: false) } }) {
            return false
        }
        if let pattern = rule.text {
            guard let candidate, pattern.matches(candidate.text, endingAfterUTF16Offset: candidate.prefixUTF16) else { return false }
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
        case backspace
    }

    /// What an action adds to the focused window's text, as far as the policy can tell.
    private func typedEffect(of action: ScreenAction) -> TypedEffect {
        switch action {
        case .type(let text):
            return shortcutModifierHeld || text.isEmpty ? .none : .text(text)
        case .key, .press:
            guard case .success(let chords) = effectiveChords(of: action), let chord = chords.first,
                  let key = chord.key, chord.modifierClasses.allSatisfy({ $0 == .shift })
            else { return .none }
            if key == .backSpace { return chord.modifiers.isEmpty ? .backspace : .none }
            return key.character.map { .text(String($0)) } ?? .none
        default:
            return .none
        }
    }

    private func relevantWindows(of action: ScreenAction, context: PolicyContext) -> [PolicyWindow?] {
        switch action {
        case .click, .drag, .scroll, .mouseDown, .mouseUp:
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
        case .click, .drag, .scroll, .mouseDown, .mouseUp:
            let points = action.points
            return points.isEmpty ? [context.pointer] : points.map(Optional.some)
        default:
            return []
        }
    }
}
