/// A mouse button as the X server numbers it (1 left, 2 middle, 3 right).
public enum MouseButton: String, Sendable, Hashable, Codable, CaseIterable {
    case left, middle, right

    /// The X core-protocol button number.
    public var number: Int {
        switch self {
        case .left: 1
        case .middle: 2
        case .right: 3
        }
    }
}

/// Which way a scroll goes; X sends it as buttons 4–7, one press per notch.
public enum ScrollDirection: String, Sendable, Hashable, Codable, CaseIterable {
    case up, down, left, right

    /// The X core-protocol button number for one notch in this direction.
    public var button: Int {
        switch self {
        case .up: 4
        case .down: 5
        case .left: 6
        case .right: 7
        }
    }
}

/// One thing an agent or a task asks the desktop to do.
///
/// Generic over the coordinate type: a parser produces `Action<ModelPoint>` in the model's own
/// space, the coordinate mapping turns it into `Action<Point>` in root-window pixels
/// (``ScreenAction``), which is what the policy engine judges and the input layer executes.
public enum Action<Coordinate: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    /// Click `count` times (1 single, 2 double, 3 triple); `nil` clicks where the pointer is.
    case click(at: Coordinate?, button: MouseButton, count: Int)
    case move(to: Coordinate)
    case drag(from: Coordinate, to: Coordinate, button: MouseButton)
    case scroll(at: Coordinate?, direction: ScrollDirection, notches: Int)
    /// A key chord as written (`ctrl+shift+t`, `ctrl c`); parsed by ``KeyChord``.
    case key(chord: String)
    /// Hold a key down until a matching `release`.
    case press(key: String)
    case release(key: String)
    /// Press or release one mouse button at a point (the Seed `mouse_down`/`mouse_up` tools).
    case mouseDown(at: Coordinate?, button: MouseButton)
    case mouseUp(at: Coordinate?, button: MouseButton)
    /// Type text exactly; `\n` is Return and `\t` is Tab.
    case type(text: String)
    case wait(seconds: Double)
    /// Terminal: the goal is met.
    case finished(message: String?)
    /// Terminal unless a person answers: the model asks for help.
    case callUser(question: String?)
    /// Terminal: the model says the goal cannot be done.
    case infeasible(reason: String?)

    /// The action's kind, as policies and traces name it.
    public var kind: ActionKind {
        switch self {
        case .click(_, let button, let count):
            if count >= 3 { return .tripleClick }
            if count == 2 { return .doubleClick }
            return button == .right ? .rightClick : (button == .middle ? .middleClick : .click)
        case .move: return .move
        case .drag: return .drag
        case .scroll: return .scroll
        case .key: return .key
        case .press: return .press
        case .release: return .release
        case .mouseDown: return .mouseDown
        case .mouseUp: return .mouseUp
        case .type: return .type
        case .wait: return .wait
        case .finished: return .finished
        case .callUser: return .callUser
        case .infeasible: return .infeasible
        }
    }

    /// The points the action touches, in order (for mapping, policy regions and annotation).
    public var points: [Coordinate] {
        switch self {
        case .click(let p, _, _), .scroll(let p, _, _), .mouseDown(let p, _), .mouseUp(let p, _):
            return p.map { [$0] } ?? []
        case .move(let p): return [p]
        case .drag(let a, let b, _): return [a, b]
        default: return []
        }
    }

    /// True for actions that end a run (`finished`, `call_user`, `infeasible`).
    public var isTerminal: Bool {
        switch self {
        case .finished, .callUser, .infeasible: true
        default: false
        }
    }

    /// Rewrites every coordinate with `transform`, keeping everything else.
    public func mapPoints<T>(_ transform: (Coordinate) throws -> T) rethrows -> Action<T> {
        switch self {
        case .click(let p, let b, let c): return .click(at: try p.map(transform), button: b, count: c)
        case .move(let p): return .move(to: try transform(p))
        case .drag(let a, let b, let button): return .drag(from: try transform(a), to: try transform(b), button: button)
        case .scroll(let p, let d, let n): return .scroll(at: try p.map(transform), direction: d, notches: n)
        case .key(let c): return .key(chord: c)
        case .press(let k): return .press(key: k)
        case .release(let k): return .release(key: k)
        case .mouseDown(let p, let b): return .mouseDown(at: try p.map(transform), button: b)
        case .mouseUp(let p, let b): return .mouseUp(at: try p.map(transform), button: b)
        case .type(let t): return .type(text: t)
        case .wait(let s): return .wait(seconds: s)
        case .finished(let m): return .finished(message: m)
        case .callUser(let q): return .callUser(question: q)
        case .infeasible(let r): return .infeasible(reason: r)
        }
    }
}

/// An action in root-window pixels: what the policy engine judges and the input layer runs.
public typealias ScreenAction = Action<Point>
/// An action in a model's coordinate space, as a dialect's parser returns it.
public typealias ModelAction = Action<ModelPoint>

/// The kind of an action, as policy files and traces spell it.
public enum ActionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case click
    case doubleClick = "double_click"
    case tripleClick = "triple_click"
    case rightClick = "right_click"
    case middleClick = "middle_click"
    case move, drag, scroll, key, press, release
    case mouseDown = "mouse_down"
    case mouseUp = "mouse_up"
    case type, wait, finished
    case callUser = "call_user"
    case infeasible
}
