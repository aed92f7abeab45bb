import DeskCore
import Foundation
import Synchronization

/// Temporary bindings of characters the keymap lacks to spare keycodes, kept as a small LRU.
///
/// The rules come from how clients read the keymap. Xlib, GTK and Qt refetch it lazily, when they translate
/// the next key event after a change notification; so a key typed with a binding is only safe once its
/// client has translated it, and changing that binding earlier makes the client read the *new* symbol
/// (xdotool's "Straрe" for "Straße"). No X request can confirm that another client has done so, hence:
/// - all characters of a batch are bound in one `XkbChangeMap` (one refetch per client, not two per
///   character as xdotool does), on the highest free keycodes first (keycode 8 last: users bind it);
/// - a binding is never changed or removed until ``InputOptions/rebindSettle`` has passed since the last key
///   typed with it; a new binding is only used after ``InputOptions/bindSettle``;
/// - everything is restored in one change at the end (``restoreAll()``), leaving the map as it was.
final class SpareKeyBinder: Sendable {
    let map: KeyboardMap
    /// Where bindings are recorded before they are made, so the next command can undo them after a SIGKILL.
    let journal: DisplayJournal?
    var bindSettle: Double {
        get { state.withLock { $0.bindSettle } }
        set { state.withLock { $0.bindSettle = newValue } }
    }
    var rebindSettle: Double {
        get { state.withLock { $0.rebindSettle } }
        set { state.withLock { $0.rebindSettle = newValue } }
    }
    /// How many keymap changes this binder made (for tests and benchmarks).
    var changeCount: Int { state.withLock { $0.changeCount } }

    private struct State {
        var bindSettle: Double
        var rebindSettle: Double
        /// keycode → what this process bound there.
        var bound: [UInt8: SpareBinding] = [:]
        var lastUse: [UInt8: Double] = [:]
        /// The device the first binding went to; every later change and the restore go to the same one.
        var device: UInt32?
        var changeCount = 0
    }
    /// Held for a whole change, settle pauses included, so a binding is never changed under a key being typed.
    private let state: Mutex<State>

    init(map: KeyboardMap, journal: DisplayJournal? = nil, bindSettle: Double, rebindSettle: Double) {
        self.map = map
        self.journal = journal
        state = Mutex(State(bindSettle: bindSettle, rebindSettle: rebindSettle))
    }

    /// The bindings in place, by keycode.
    var bindings: [UInt8: SpareBinding] { state.withLock { $0.bound } }

    /// How many distinct bindings can exist at once with `layout`: its free keycodes plus those this binder
    /// holds (and that still carry its symbols).
    func capacity(_ layout: KeyboardLayout) -> Int {
        state.withLock { state in
            Self.forgetOverwritten(layout, in: &state)
            return layout.freeKeycodes.count + state.bound.count
        }
    }

    /// Drops bindings someone else replaced (a `setxkbmap` in between): they are no longer ours to restore.
    private static func forgetOverwritten(_ layout: KeyboardLayout, in state: inout State) {
        for (kc, binding) in state.bound {
            let expected = [binding.lower] + (binding.upper.map { [$0] } ?? [])
            if layout.keys[Int(kc)].groups != [expected] {
                state.bound.removeValue(forKey: kc)
                state.lastUse.removeValue(forKey: kc)
            }
        }
    }

    /// Makes every binding in `needed` present, evicting the least recently used bindings not in `needed` when
    /// no free keycode is left. Returns true when the keymap changed (the caller must re-read the layout).
    func ensure(_ needed: [SpareBinding], layout: KeyboardLayout) throws -> Bool {
        try state.withLock { try ensure(needed, layout: layout, in: &$0) }
    }

    private func ensure(_ needed: [SpareBinding], layout: KeyboardLayout, in state: inout State) throws -> Bool {
        Self.forgetOverwritten(layout, in: &state)
        let present = Set(state.bound.values)
        var missing: [SpareBinding] = []
        for b in needed where !present.contains(b) && !missing.contains(b) { missing.append(b) }
        guard !missing.isEmpty else { return false }
        var free = layout.freeKeycodes
        let neededSet = Set(needed)
        let lastUse = state.lastUse
        var evictable = state.bound.filter { !neededSet.contains($0.value) }.map(\.key)
            .sorted { (lastUse[$0] ?? 0, $0) < (lastUse[$1] ?? 0, $1) }
        var changes: [UInt8: SpareBinding?] = [:]
        var latestUseOfEvicted = 0.0
        for binding in missing {
            if !free.isEmpty {
                changes[free.removeFirst()] = binding
            } else if !evictable.isEmpty {
                let kc = evictable.removeFirst()
                latestUseOfEvicted = max(latestUseOfEvicted, lastUse[kc] ?? 0)
                changes[kc] = binding
            } else {
                throw EnvironmentError("display \(map.display.name): the keymap has no spare keycode left to bind \(missing.count) more character(s) (\(layout.freeKeycodes.count) free)")
            }
        }
        // Never change a binding a client may still be translating.
        if latestUseOfEvicted > 0 { Pause.until(latestUseOfEvicted + state.rebindSettle) }
        let target = try state.device ?? map.changeDevice()
        state.device = target
        journal?.update { r in
            r.spareDevice = target
            for (kc, binding) in changes {
                r.spareKeys[kc] = binding.map { [$0.lower] + ($0.upper.map { [$0] } ?? []) }
            }
        }
        try map.apply(changes, device: target)
        state.changeCount += 1
        for (kc, binding) in changes {
            if let binding { state.bound[kc] = binding } else { state.bound.removeValue(forKey: kc) }
            state.lastUse.removeValue(forKey: kc)
        }
        try Pause.sleep(state.bindSettle, interruptible: false)
        return true
    }

    /// Records that a key typed with a binding on `keycode` was just sent.
    func markUsed(_ keycode: UInt8, at time: Double) {
        state.withLock { state in
            if state.bound[keycode] != nil { state.lastUse[keycode] = time }
        }
    }

    /// Removes every binding (after the settle time since its last use) in one keymap change.
    func restoreAll() throws {
        try state.withLock { state in
            guard !state.bound.isEmpty, let target = state.device else {
                state.bound.removeAll()
                return
            }
            let latest = state.lastUse.values.max() ?? 0
            if latest > 0 { Pause.until(latest + state.rebindSettle) }
            var changes: [UInt8: SpareBinding?] = [:]
            for kc in state.bound.keys { changes[kc] = .some(nil) }
            let mine = state.bound
            state.bound.removeAll()
            state.lastUse.removeAll()
            // Only keys that still carry our symbols are cleared: a layout switch meanwhile may have reused them.
            try map.apply(changes, device: target, clearingOnlyIf: mine)
            journal?.update { r in
                r.spareKeys.removeAll()
                r.spareDevice = nil
            }
            state.changeCount += 1
        }
    }
}
