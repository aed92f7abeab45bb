internal import CX11
import DeskCore
import Foundation
import Synchronization

/// Mouse and keyboard input for one display, through XTest only (never `XSendEvent`, which many apps
/// ignore): clicks, moves, drags, scrolls, key chords, held keys, exact Unicode typing on any layout (or
/// paste typing), and focus.
///
/// Everything it presses is tracked; ``releaseAll()`` lets go of all of it, and deinit does too, so no exit
/// path leaves a key or button down. Characters the layout lacks are bound to spare keycodes for as long as
/// needed and unbound afterwards (``restoreKeymap()``). Long actions check ``StopFlag`` and unwind.
/// One injector per ``X11Display``; calls are serialised by the display's lock, not meant to overlap.
public final class InputInjector: Sendable {
    public let display: X11Display
    /// Timing and behaviour; changes apply to the next action.
    public var options: InputOptions {
        get { settings.withLock { $0 } }
        set {
            settings.withLock { $0 = newValue }
            pointer.options = newValue
            typer.options = newValue
            keys.options = newValue
            binder.bindSettle = newValue.bindSettle
            binder.rebindSettle = newValue.rebindSettle
        }
    }
    private let settings: Mutex<InputOptions>
    let state: InputState
    let map: KeyboardMap
    let binder: SpareKeyBinder
    let typer: TextTyper
    let keys: KeyPresser
    let pointer: PointerDriver
    let focuser: WindowFocuser
    let journal: DisplayJournal?

    /// Opens the injector; fails with exit status 3 when the server lacks XTEST or XKEYBOARD.
    ///
    /// It first undoes what injectors that died on this display left (their runtime journals, under
    /// `journalDirectory`, by default `<runtime folder>/journal`), saying so through `report` in one line,
    /// and adopts keys an earlier `act press` kept down (see ``keptKeys``).
    public init(display: X11Display, options: InputOptions = .init(), journalDirectory: String? = nil,
                report: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) throws {
        let hasXTest: Bool = display.withDisplay { d in
            var event: Int32 = 0, error: Int32 = 0, major: Int32 = 0, minor: Int32 = 0
            return XTestQueryExtension(d, &event, &error, &major, &minor) != 0
        }
        guard hasXTest else {
            throw X11Error(.extensionMissing, display: display.name, "the XTEST extension is missing; deskpilot injects input only through XTest")
        }
        self.display = display
        settings = Mutex(options)
        var journal: DisplayJournal?
        do {
            journal = try DisplayJournal(display: display.name, directory: journalDirectory ?? DisplayJournal.defaultDirectory())
        } catch {
            report("deskpilot: \(error); input left behind by a killed deskpilot on display \(display.name) cannot be undone by the next command")
        }
        self.journal = journal
        state = InputState(display: display, journal: journal)
        map = try KeyboardMap(display: display)
        binder = SpareKeyBinder(map: map, journal: journal, bindSettle: options.bindSettle, rebindSettle: options.rebindSettle)
        typer = TextTyper(map: map, binder: binder, state: state, options: options)
        keys = KeyPresser(map: map, binder: binder, state: state, options: options)
        pointer = PointerDriver(display: display, state: state, options: options)
        focuser = WindowFocuser(display: display)
        if let journal {
            let recovered = JournalRecovery.run(journal: journal, map: map, state: state)
            if !recovered.isEmpty { report(recovered.line(display: display.name)) }
        }
    }

    deinit {
        finish()
    }

    /// Performs one action in root-window pixels. Terminal actions (`finished`, `call_user`, `infeasible`)
    /// do nothing here. Off-screen points are input errors (exit 2).
    public func perform(_ action: ScreenAction) throws {
        switch action {
        case .click(let at, let button, let count): try click(at: at, button: button, count: count)
        case .move(let to): try move(to: to)
        case .drag(let from, let to, let button): try drag(from: from, to: to, button: button)
        case .scroll(let at, let direction, let notches): try scroll(direction, notches: notches, at: at)
        case .key(let chord): try key(chord)
        case .press(let key): try press(key)
        case .release(let key): try release(key)
        case .mouseDown(let at, let button): try pointer.buttonDown(at: at, button: button)
        case .mouseUp(let at, let button): try pointer.buttonUp(at: at, button: button)
        case .type(let text): try type(text)
        case .wait(let seconds):
            guard seconds >= 0, seconds.isFinite else { throw InputError("wait needs a duration ≥ 0 s, got \(seconds)") }
            try Pause.sleep(seconds)
        case .finished, .callUser, .infeasible: break
        }
    }

    /// Types `text` exactly (`\n` is Return, `\t` Tab): as key events, or by pasting it from a selection this
    /// process owns until the target fetched it.
    public func type(_ text: String, method: TypingMethod = .keys) throws {
        switch method {
        case .keys:
            try typer.type(text)
        case .paste:
            let owner = try SelectionOwner(displayName: display.name, selection: options.pasteSelection, text: text)
            try keys.chord(options.pasteChord)
            guard try owner.serve(timeout: options.pasteTimeout, linger: options.pasteLinger) else {
                throw InputFailure("nobody fetched the \(owner.selectionName) selection within \(options.pasteTimeout) s after '\(options.pasteChord)' on display \(display.name) (is a text field focused? does it paste with that chord?)")
            }
        }
    }

    /// Presses and releases a key chord (`ctrl+shift+t`, `Shift_R`, `ctrl c`).
    public func key(_ chord: String) throws { try keys.chord(chord) }

    /// Presses a key and leaves it down (until ``release(_:)``, ``releaseAll()`` or deinit).
    public func press(_ key: String) throws { try keys.press(key) }

    /// Lets go of a key (also one pressed by an earlier process).
    public func release(_ key: String) throws { try keys.release(key) }

    public func click(at point: Point?, button: MouseButton = .left, count: Int = 1) throws {
        try pointer.click(at: point, button: button, count: count)
    }

    public func move(to point: Point) throws { try pointer.move(to: point) }

    public func drag(from: Point, to: Point, button: MouseButton = .left) throws {
        try pointer.drag(from: from, to: to, button: button)
    }

    public func scroll(_ direction: ScrollDirection, notches: Int = 1, at point: Point? = nil) throws {
        try pointer.scroll(at: point, direction: direction, notches: notches)
    }

    /// Throws an input error when `point` is off screen or on no monitor (what every pointer action checks).
    public func validate(_ point: Point) throws { try pointer.validate(point) }

    /// Gives `window` the keyboard focus (through the window manager when one runs) and waits until it has it.
    public func focus(_ window: UInt) throws { try focuser.focus(window) }

    /// Releases every key and button this injector pressed.
    public func releaseAll() { state.releaseAll() }

    /// Removes every temporary key binding (waiting the settle time after their last use).
    public func restoreKeymap() { try? binder.restoreAll() }

    /// Keeps the keys `press` holds down after this process exits (`act press`); the runtime journal lists
    /// them so the next command adopts them and judges them again.
    public func keepHeldInputAfterExit() { state.keepHeld() }

    /// Keys held down on purpose beyond the process that pressed them (`act press`), adopted from its
    /// journal: the caller judges each again and lets go of a refused one with ``releaseKept(_:)``.
    public var keptKeys: [KeptKey] { state.keptKeys }

    /// Lets go of a kept key (it was refused when judged again).
    public func releaseKept(_ key: KeptKey) { state.releaseKept(key) }

    /// Releases everything held, removes spare bindings, switches MouseKeys back to what it was, and removes
    /// the runtime journal when nothing is left to track (kept keys stay listed): the end of an injector's use.
    public func finish() {
        releaseAll()
        restoreKeymap()
        _ = state.restoreMouseKeys()
        if let journal, journal.current.isEmpty { journal.remove() }
    }

    /// How many keymap changes this injector has made (binding batches plus restores).
    public var keymapChangeCount: Int { binder.changeCount }
}
