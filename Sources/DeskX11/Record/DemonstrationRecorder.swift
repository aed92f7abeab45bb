import DeskCore
import Foundation
import Synchronization

/// Records what a person does on a display: real input through RECORD (``InputRecorder``), read with the
/// keymap in force at each key (``RecordedKeyboard``), plus a snapshot of the screen and windows taken
/// shortly before every press — until the stop chord is pressed or ``stop()`` is called.
public final class DemonstrationRecorder: Sendable {
    /// What one recording gave.
    public struct Recording: Sendable {
        public var events: [DemonstrationEvent]
        /// The snapshot from before each press, by the press's site number.
        public var snapshots: [Int: DesktopSnapshot]
        public var screen: Size
        /// True when the stop chord ended it.
        public var stoppedByChord: Bool
    }

    /// Options a recording is made with.
    public struct Options: Sendable {
        /// Ends the recording; its keys are not written (default ctrl+alt+shift+r).
        public var stopChord: KeyChord
        /// Record only presses on, and keys typed into, windows this matches (nil: everything).
        public var onlyWindow: WindowSelector?
        /// Text typed into windows this matches is a secret.
        public var secretWindow: WindowSelector?
        /// How often the screen is captured while recording (seconds).
        public var snapshotInterval: Double

        public init(stopChord: KeyChord, onlyWindow: WindowSelector? = nil, secretWindow: WindowSelector? = nil,
                    snapshotInterval: Double = 0.08) {
            self.stopChord = stopChord
            self.onlyWindow = onlyWindow
            self.secretWindow = secretWindow
            self.snapshotInterval = snapshotInterval
        }
    }

    private struct State {
        var keyboard: RecordedKeyboard
        var events: [DemonstrationEvent] = []
        var snapshots: [Int: DesktopSnapshot] = [:]
        var recent: [DesktopSnapshot] = []
        var nextSite = 0
        var lastPressWindow: WindowInfo?
        var heldForStop: Set<String> = []
        var stopped = false
        var stoppedByChord = false
        var needsKeymap = false
    }

    private let displayName: String
    private let options: Options
    private let state: Mutex<State>
    private let snapshotDisplay: X11Display
    private let capturer: ScreenCapturer
    private let keymapReader: KeyboardMap
    private let stoppedSignal = DispatchSemaphore(value: 0)
    private let snapshotDone = DispatchSemaphore(value: 0)
    private let recorder: Mutex<InputRecorder?> = Mutex(nil)
    private let screen: Size

    /// Starts recording on `displayName`.
    public init(displayName: String, options: Options) throws {
        self.displayName = displayName
        self.options = options
        let display = try X11Display(name: displayName)
        snapshotDisplay = display
        capturer = ScreenCapturer(display: display)
        keymapReader = try KeyboardMap(display: display)
        screen = display.screenSize
        let keyboard = RecordedKeyboard(layout: try keymapReader.layout(device: KeyboardMap.coreKeyboard),
                                        state: keymapReader.state())
        state = Mutex(State(keyboard: keyboard))
        takeSnapshot()
        let snapshotThread = Thread { [self] in snapshotLoop() }
        snapshotThread.name = "deskpilot record snapshots"
        snapshotThread.start()
        do {
            let input = try InputRecorder(displayName: displayName) { [weak self] input in self?.handle(input) }
            recorder.withLock { $0 = input }
        } catch {
            state.withLock { $0.stopped = true }
            snapshotDone.wait()
            throw error
        }
    }

    /// True once the stop chord was pressed, the display went away, or ``stop()`` was called.
    public var isStopped: Bool { state.withLock { $0.stopped } }

    /// Blocks until the stop chord is pressed or ``stop()`` is called (call from a thread of your own).
    public func waitUntilStopped() { stoppedSignal.wait(); stoppedSignal.signal() }

    /// Ends the recording (idempotent) and gives what it recorded.
    public func stop() -> Recording {
        let wasRunning = state.withLock { s in
            defer { s.stopped = true }
            return !s.stopped
        }
        if wasRunning { stoppedSignal.signal() }
        let input = recorder.withLock { r in defer { r = nil }; return r }
        input?.stop()
        snapshotDone.wait()
        snapshotDone.signal()
        return state.withLock { s in
            Recording(events: s.events, snapshots: s.snapshots, screen: screen, stoppedByChord: s.stoppedByChord)
        }
    }

    private var monotonicNow: Double { ProcessInfo.processInfo.systemUptime }

    private func snapshotLoop() {
        defer { snapshotDone.signal() }
        while !state.withLock({ $0.stopped }) {
            Thread.sleep(forTimeInterval: options.snapshotInterval)
            if state.withLock({ $0.needsKeymap }) { refreshKeymap() }
            takeSnapshot()
            if snapshotDisplay.isConnectionLost { state.withLock { $0.stopped = true }; stoppedSignal.signal(); return }
        }
    }

    private func refreshKeymap() {
        guard let layout = try? keymapReader.layout(device: KeyboardMap.coreKeyboard) else { return }
        state.withLock { s in
            s.keyboard.replace(layout: layout)
            s.needsKeymap = false
        }
    }

    private func takeSnapshot() {
        let start = monotonicNow
        guard let frame = try? capturer.capture(.root) else { return }
        let windows = snapshotDisplay.windows()
        let focused = snapshotDisplay.focusedWindow()
        let snapshot = DesktopSnapshot(frame: frame, windows: windows, focused: focused, time: start)
        state.withLock { s in
            s.recent.append(snapshot)
            if s.recent.count > 4 { s.recent.removeFirst(s.recent.count - 4) }
        }
    }

    /// The newest snapshot whose capture began comfortably before `time`, so it cannot show the reaction
    /// to an event that arrived at `time`.
    private static func snapshot(before time: Double, in recent: [DesktopSnapshot]) -> DesktopSnapshot? {
        recent.last { $0.time < time - 0.03 } ?? recent.first
    }

    private func handle(_ input: RecordedInput) {
        let now = monotonicNow
        let stopNow: Bool = state.withLock { s in
            guard !s.stopped else { return false }
            switch input {
            case .keymap(let edit):
                s.keyboard.apply(edit)
            case .keymapReplaced:
                s.needsKeymap = true
            case .motion:
                break
            case .key(let pressed, let keycode, _):
                return handleKey(pressed: pressed, keycode: keycode, now: now, state: &s)
            case .button(let pressed, let button, let at, _):
                handleButton(pressed: pressed, button: Int(button), at: at, now: now, state: &s)
            }
            return false
        }
        if stopNow {
            state.withLock { $0.stopped = true; $0.stoppedByChord = true }
            stoppedSignal.signal()
        }
    }

    private func handleKey(pressed: Bool, keycode: UInt8, now: Double, state s: inout State) -> Bool {
        guard pressed else {
            s.keyboard.release(keycode)
            return false
        }
        guard let read = s.keyboard.press(keycode), let name = RecordedKeyboard.keysymName(read.keysym) else { return false }
        if isStopChord(key: name, modifiers: read.modifiers) { return true }
        let snapshot = Self.snapshot(before: now, in: s.recent)
        let focusedWindow = snapshot?.focused.flatMap { id in snapshot?.windows.first { $0.id == id } } ?? s.lastPressWindow
        if let only = options.onlyWindow, let window = focusedWindow ?? s.lastPressWindow,
           only.matches(in: [window]).isEmpty { return false }
        let secret = [focusedWindow, s.lastPressWindow].contains { w in
            guard let w, let matcher = options.secretWindow else { return false }
            return !matcher.matches(in: [w]).isEmpty
        }
        s.events.append(.key(RecordedKey(keysym: name, text: read.text, modifiers: read.modifiers, time: now,
                                         window: focusedWindow.map(\.hexID), secret: secret)))
        return false
    }

    private func handleButton(pressed: Bool, button: Int, at: Point, now: Double, state s: inout State) {
        guard pressed else {
            s.events.append(.release(button: button, at: at, time: now))
            return
        }
        let snapshot = Self.snapshot(before: now, in: s.recent)
        let window = snapshot?.window(at: at)
        if let only = options.onlyWindow, (window.map { only.matches(in: [$0]).isEmpty } ?? true) { return }
        let site = s.nextSite
        s.nextSite += 1
        if let snapshot { s.snapshots[site] = snapshot }
        s.lastPressWindow = window
        s.events.append(.press(button: button, at: at, time: now, site: site, window: window?.hexID))
    }

    private func isStopChord(key: String, modifiers: Set<ModifierClass>) -> Bool {
        guard let stopKey = options.stopChord.key else { return false }
        let wanted = Set(options.stopChord.modifierClasses)
        return key.lowercased() == stopKey.keysym.lowercased() && modifiers == wanted
    }
}
