/// Folds recorded input into task steps: presses and releases into clicks (double and triple clicks by the
/// double-click time), drags and scrolls; printable keys into one `type` per run of typing, with BackSpace
/// corrections folded into the final text; keys held with ctrl, alt or super into `key` chords.
public struct DemonstrationBuilder: Sendable {
    /// Presses closer together than this (seconds), at about the same place, make one multi-click.
    public var multiClickInterval: Double
    /// How far (pixels) the pointer may move between press and release and still count as a click.
    public var clickSlop: Int

    public private(set) var steps: [RecordedStep] = []
    private var pendingText = ""
    private var pendingSecret = false
    private var pendingWindow: String?
    private var openPresses: [Int: (at: Point, time: Double, site: Int)] = [:]
    private var lastClick: (button: Int, at: Point, time: Double)?

    public init(multiClickInterval: Double = 0.4, clickSlop: Int = 4) {
        self.multiClickInterval = multiClickInterval
        self.clickSlop = clickSlop
    }

    /// Takes the next event, in the order the server saw them.
    public mutating func add(_ event: DemonstrationEvent) {
        switch event {
        case .key(let key): addKey(key)
        case .press(let button, let at, let time, let site, _):
            flushText()
            if let direction = Self.scrollDirection(button) {
                addScroll(direction, at: at, site: site)
            } else {
                openPresses[button] = (at, time, site)
            }
        case .release(let button, let at, let time):
            guard let press = openPresses.removeValue(forKey: button), let mouse = Self.mouseButton(button) else { return }
            addRelease(button: button, mouse: mouse, press: press, at: at, time: time)
        }
    }

    /// The steps, with any typing still pending written out.
    public mutating func finish() -> [RecordedStep] {
        flushText()
        return steps
    }

    private mutating func addKey(_ key: RecordedKey) {
        if ModifierClass(keysym: key.keysym) != nil { return }
        let chordModifiers = key.modifiers.subtracting([.shift, .altgr])
        // Return or Tab after a password confirms it or moves on: a key of its own, not part of the secret
        // the person will be asked to provide.
        if key.secret, chordModifiers.isEmpty, Self.editingText(key.keysym) != nil, let name = KeyName(keysym: key.keysym) {
            flushText()
            steps.append(.key(KeyChord(modifiers: [], key: name)))
            return
        }
        if chordModifiers.isEmpty, let text = key.text ?? (key.modifiers.isEmpty ? Self.editingText(key.keysym) : nil) {
            if pendingWindow != key.window || pendingSecret != key.secret { flushText() }
            pendingWindow = key.window
            pendingSecret = key.secret
            pendingText.append(text)
            return
        }
        if chordModifiers.isEmpty, key.keysym == "BackSpace", !pendingText.isEmpty, pendingWindow == key.window {
            pendingText.removeLast()
            return
        }
        flushText()
        var modifiers = key.modifiers.sorted()
        // Shift on a printable key is part of the character; on other keys (shift+Tab, ctrl+shift+t) it is
        // part of the chord.
        if key.text != nil, chordModifiers.isEmpty { modifiers.removeAll { $0 == .shift } }
        modifiers.removeAll { $0 == .altgr }
        guard let name = KeyName(keysym: key.keysym) else { return }
        let chordKey = key.text.flatMap { $0.count == 1 ? $0.lowercased().first : nil }.flatMap { KeyName(character: $0) } ?? name
        steps.append(.key(KeyChord(modifiers: modifiers.map { KeyName(keysym: $0.defaultKeysym)! }, key: chordKey)))
    }

    /// Return and Tab type a newline and a tab inside a run of typing (`type` spells them `\n` and `\t`).
    static func editingText(_ keysym: String) -> String? {
        switch keysym {
        case "Return", "KP_Enter": "\n"
        case "Tab": "\t"
        default: nil
        }
    }

    private mutating func flushText() {
        guard !pendingText.isEmpty else { return }
        steps.append(.type(pendingText, secret: pendingSecret))
        pendingText = ""
        pendingSecret = false
    }

    private mutating func addScroll(_ direction: ScrollDirection, at: Point, site: Int) {
        if case .scroll(let s, let p, let d, let n)? = steps.last, d == direction, p.chebyshevDistance(to: at) <= clickSlop {
            steps[steps.count - 1] = .scroll(site: s, at: p, direction: d, notches: n + 1)
        } else {
            steps.append(.scroll(site: site, at: at, direction: direction, notches: 1))
        }
    }

    private mutating func addRelease(button: Int, mouse: MouseButton, press: (at: Point, time: Double, site: Int),
                                     at: Point, time: Double) {
        if press.at.chebyshevDistance(to: at) > clickSlop {
            steps.append(.drag(from: press.site, fromPoint: press.at, to: at, button: mouse))
            lastClick = nil
            return
        }
        if let last = lastClick, last.button == button, press.time - last.time <= multiClickInterval,
           last.at.chebyshevDistance(to: press.at) <= clickSlop,
           case .click(let site, let p, let b, let count)? = steps.last, count < 3 {
            steps[steps.count - 1] = .click(site: site, at: p, button: b, count: count + 1)
        } else {
            steps.append(.click(site: press.site, at: press.at, button: mouse, count: 1))
        }
        lastClick = (button, press.at, press.time)
    }

    static func scrollDirection(_ button: Int) -> ScrollDirection? {
        ScrollDirection.allCases.first { $0.button == button }
    }

    static func mouseButton(_ button: Int) -> MouseButton? {
        MouseButton.allCases.first { $0.number == button }
    }
}
