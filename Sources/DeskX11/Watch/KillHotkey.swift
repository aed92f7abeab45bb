internal import CX11
import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The global kill hotkey: a passive grab of one chord on the root window, held for as long as a run lasts,
/// on a connection of its own and watched by a thread of its own.
///
/// Its own connection because the main connection's event queue belongs to the selection owner (paste
/// typing) and the injector; its own thread because the run's thread may be busy for seconds inside one
/// action (a long `type`), which is exactly when the hotkey must still work. Pressing the chord calls
/// `onPress` on that thread; the usual handler sets ``StopFlag``, and typing checks the flag between
/// characters. XTest key events trigger passive grabs like a keyboard's, so tests (and another deskpilot
/// command) can press the hotkey too.
///
/// Lock modifiers are ignored (the chord works with Caps Lock, Num Lock or Scroll Lock on): the grab is
/// made once for every combination of them. A keymap change (MappingNotify) re-resolves the chord and
/// moves the grab when its keycodes or modifier bits changed.
public final class KillHotkey: Sendable {
    /// The grabbed chord.
    public let chord: KeyChord
    /// The hotkey's own connection.
    public let display: X11Display

    /// The keycodes and modifier bits the chord resolves to on the current keymap.
    struct Resolution: Equatable {
        var keycodes: [UInt8]
        /// The modifier bits the chord requires.
        var modifiers: UInt32
        /// Lock bits (Caps, Num, Scroll Lock) that may be on or off.
        var ignorable: [UInt32]

        /// Every modifier state the grab covers: `modifiers` with each subset of the ignorable bits.
        var grabStates: [UInt32] {
            var states: [UInt32] = [modifiers]
            for bit in ignorable { states += states.map { $0 | bit } }
            return states
        }
    }

    private let onPress: @Sendable () -> Void
    private struct State {
        var resolution: Resolution
        var running = true
        var presses = 0
    }
    private let state: Mutex<State>
    private let done = DispatchSemaphore(value: 0)
    /// A pipe ``stop()`` writes to, so the watch wakes at once instead of at its next 50 ms poll timeout (which
    /// every `act` command would otherwise wait for at exit); -1 when no pipe could be made.
    private let wake: (read: Int32, write: Int32)

    /// Opens a connection to `displayName`, grabs `chord` on its root window and starts watching.
    ///
    /// Fails when the chord has no key or names a key or modifier this keyboard does not have, and when
    /// another client already grabbed the chord (another deskpilot run on the same display, or a desktop
    /// shortcut): the X server gives a passive grab to one client only.
    public init(displayName: String, chord: KeyChord, onPress: @escaping @Sendable () -> Void) throws {
        let display = try X11Display(name: displayName)
        let resolution = try display.withDisplay { d in try Self.resolve(chord, display: d, name: display.name) }
        do {
            try display.checked("grabbing the kill hotkey \(chord.normalized) on the root window") { d in
                Self.grab(resolution, display: d, root: display.root)
            }
        } catch {
            display.withDisplay { d in Self.ungrab(resolution, display: d, root: display.root) }
            display.sync()
            throw X11Error(.requestFailed, display: display.name,
                           "cannot grab the kill hotkey \(chord.normalized): another program (a desktop shortcut, or another deskpilot run on this display) holds it; choose another with the policy's kill_switch (\(error))")
        }
        self.chord = chord
        self.display = display
        self.onPress = onPress
        state = Mutex(State(resolution: resolution))
        var fds: [Int32] = [-1, -1]
        wake = pipe(&fds) == 0 ? (fds[0], fds[1]) : (-1, -1)
        let thread = Thread { [self] in watch() }
        thread.name = "deskpilot kill hotkey"
        thread.start()
    }

    /// The usual handler: a stop request naming the chord.
    public static func requestStop(_ chord: KeyChord) -> @Sendable () -> Void {
        { StopFlag.shared.request("kill hotkey \(chord.normalized) pressed") }
    }

    /// How many times the chord was pressed while grabbed.
    public var pressCount: Int {
        state.withLock { $0.presses }
    }

    /// Ends the watch and releases the grab. Safe to call more than once.
    public func stop() {
        let (wasRunning, current) = state.withLock { state in
            defer { state.running = false }
            return (state.running, state.resolution)
        }
        guard wasRunning else { return }
        if wake.write >= 0 { _ = write(wake.write, "x", 1) }
        _ = done.wait(timeout: .now() + 2)
        if wake.read >= 0 {
            close(wake.read)
            close(wake.write)
        }
        display.withDisplay { d in
            // A call on a lost connection never returns (see X11Display.deinit); the grab died with the server.
            guard !X11ErrorTrap.isLost(d) else { return }
            Self.ungrab(current, display: d, root: display.root)
            XSync(d, 0)
        }
    }

    private var isRunning: Bool {
        state.withLock { $0.running }
    }

    private func watch() {
        defer { done.signal() }
        let fd = display.withDisplay { XConnectionNumber($0) }
        while isRunning {
            var pfds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                        pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            _ = poll(&pfds, 2, 50)
            if !isRunning { return }
            var pressed = 0
            var remapped = false
            let keycodes = Set(currentResolution.keycodes)
            display.withDisplay { d in
                while XPending(d) > 0 {
                    var event = XEvent()
                    XNextEvent(d, &event)
                    switch event.type {
                    case KeyPress:
                        if let code = UInt8(exactly: event.xkey.keycode), keycodes.contains(code) { pressed += 1 }
                    case MappingNotify:
                        var mapping = event.xmapping
                        XRefreshKeyboardMapping(&mapping)
                        remapped = true
                    default:
                        break
                    }
                }
            }
            if remapped { regrab() }
            if pressed > 0 {
                state.withLock { $0.presses += pressed }
                onPress()
            }
            if display.isConnectionLost { return }
        }
    }

    private var currentResolution: Resolution {
        state.withLock { $0.resolution }
    }

    /// Moves the grab after a keymap change; keeps the old one when the chord no longer resolves (a layout
    /// without the key is more likely a passing state than a wish to lose the kill switch).
    private func regrab() {
        let old = currentResolution
        guard let new = try? display.withDisplay({ d in try Self.resolve(chord, display: d, name: display.name) }),
              new != old else { return }
        display.withDisplay { d in
            Self.ungrab(old, display: d, root: display.root)
            Self.grab(new, display: d, root: display.root)
            XSync(d, 0)
        }
        state.withLock { $0.resolution = new }
    }

    private static func grab(_ r: Resolution, display d: OpaquePointer, root: UInt) {
        for keycode in r.keycodes {
            for state in r.grabStates {
                XGrabKey(d, Int32(keycode), state, root, 0, GrabModeAsync, GrabModeAsync)
            }
        }
    }

    private static func ungrab(_ r: Resolution, display d: OpaquePointer, root: UInt) {
        for keycode in r.keycodes {
            for state in r.grabStates { XUngrabKey(d, Int32(keycode), state, root) }
        }
    }

    /// The keycodes and modifier bits of `chord` on the display's current keymap.
    static func resolve(_ chord: KeyChord, display d: OpaquePointer, name: String) throws -> Resolution {
        guard let key = chord.key, !chord.modifiers.isEmpty else {
            throw X11Error(.badArgument, display: name,
                           "the kill switch \(chord.normalized) needs a key and at least one modifier (ctrl+alt+shift+escape)")
        }
        let keysym = XStringToKeysym(key.keysym)
        guard keysym != 0 else {
            throw X11Error(.badArgument, display: name, "the kill switch's key '\(key.keysym)' is no X keysym")
        }
        var low: Int32 = 0, high: Int32 = 0
        XDisplayKeycodes(d, &low, &high)
        var keycodes: [UInt8] = []
        for level in 0..<2 where keycodes.isEmpty {
            for kc in low...high {
                if let code = UInt8(exactly: kc), XkbKeycodeToKeysym(d, code, 0, Int32(level)) == keysym {
                    keycodes.append(code)
                }
            }
        }
        guard !keycodes.isEmpty else {
            throw X11Error(.badArgument, display: name,
                           "no key of this keyboard produces '\(key.keysym)', so the kill switch \(chord.normalized) cannot be grabbed")
        }
        let modmap = modifierKeysyms(d)
        var modifiers: UInt32 = 0
        for cls in Set(chord.modifierClasses) {
            let bits = mask(for: cls, modmap: modmap)
            guard bits != 0 else {
                throw X11Error(.badArgument, display: name,
                               "no modifier of this keyboard is \(cls.rawValue), so the kill switch \(chord.normalized) cannot be grabbed")
            }
            modifiers |= bits
        }
        var ignorable: [UInt32] = []
        for bits in [UInt32(LockMask), maskOf(["Num_Lock"], modmap), maskOf(["Scroll_Lock"], modmap)]
        where bits != 0 && bits & modifiers == 0 && !ignorable.contains(bits) {
            ignorable.append(bits)
        }
        return Resolution(keycodes: keycodes, modifiers: modifiers, ignorable: ignorable)
    }

    /// The modifier bits of one class: ctrl and shift are fixed core bits, the others are whichever of
    /// Mod1…Mod5 the keymap put their keys on.
    static func mask(for cls: ModifierClass, modmap: [[UInt]]) -> UInt32 {
        switch cls {
        case .ctrl: return UInt32(ControlMask)
        case .shift: return UInt32(ShiftMask)
        case .alt: return maskOf(["Alt_L", "Alt_R", "Meta_L", "Meta_R"], modmap)
        case .super: return maskOf(["Super_L", "Super_R", "Hyper_L", "Hyper_R"], modmap)
        case .altgr: return maskOf(["ISO_Level3_Shift", "Mode_switch"], modmap)
        }
    }

    /// The bit of the modifier (Mod1…Mod5) whose keys produce any of `names`. When several modifiers do (some
    /// keymaps put Hyper on Mod4 with Super), the first, lowest one is used, as toolkits do.
    static func maskOf(_ names: [String], _ modmap: [[UInt]]) -> UInt32 {
        let wanted = Set(names.map { UInt(XStringToKeysym($0)) })
        // Only Mod1…Mod5: Shift, Lock and Control have fixed meanings.
        for (index, keysyms) in modmap.enumerated() where index >= 3 {
            if keysyms.contains(where: wanted.contains) { return UInt32(1) << UInt32(index) }
        }
        return 0
    }

    /// For each of the 8 core modifiers, the keysyms (levels 0–1 of group 1) of the keys on it.
    static func modifierKeysyms(_ d: OpaquePointer) -> [[UInt]] {
        var result = [[UInt]](repeating: [], count: 8)
        guard let map = XGetModifierMapping(d) else { return result }
        defer { XFreeModifiermap(map) }
        let perModifier = Int(map.pointee.max_keypermod)
        guard let codes = map.pointee.modifiermap else { return result }
        for modifier in 0..<8 {
            for j in 0..<perModifier {
                let kc = codes[modifier * perModifier + j]
                if kc == 0 { continue }
                for level in 0..<2 {
                    let sym = XkbKeycodeToKeysym(d, kc, 0, Int32(level))
                    if sym != 0 { result[modifier].append(UInt(sym)) }
                }
            }
        }
        return result
    }
}
