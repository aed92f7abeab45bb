import DeskCore
import Foundation

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
final class SpareKeyBinder: @unchecked Sendable {
    let map: KeyboardMap
    /// Where bindings are recorded before they are made, so the next command can undo them after a SIGKILL.
    let journal: DisplayJournal?
    var bindSettle: Double
    var rebindSettle: Double
    private let lock = NSRecursiveLock()
    /// keycode → what this process bound there.
    private var bound: [UInt8: SpareBinding] = [:]
    private var lastUse: [UInt8: Double] = [:]
    /// The device the first binding went to; every later change and the restore go to the same one.
    private var device: UInt32?
    /// How many keymap changes this binder made (for tests and benchmarks).
    private(set) var changeCount = 0

    init(map: KeyboardMap, journal: DisplayJournal? = nil, bindSettle: Double, rebindSettle: Double) {
        self.map = map
        self.journal = journal
        self.bindSettle = bindSettle
        self.rebindSettle = rebindSettle
    }

    /// The bindings in place, by keycode.
    var bindings: [UInt8: SpareBinding] {
        lock.lock()
        defer { lock.unlock() }
        return bound
    }

    /// How many distinct bindings can exist at once with `layout`: its free keycodes plus those this binder
    /// holds (and that still carry its symbols).
    func capacity(_ layout: KeyboardLayout) -> Int {
        lock.lock()
        defer { lock.unlock() }
        forgetOverwritten(layout)
        return layout.freeKeycodes.count + bound.count
    }

    /// Drops bindings someone else replaced (a `setxkbmap` in between): they are no longer ours to restore.
    private func forgetOverwritten(_ layout: KeyboardLayout) {
        for (kc, binding) in bound {
            let expected = [binding.lower] + (binding.upper.map { [$0] } ?? [])
            if layout.keys[Int(kc)].groups != [expected] {
                bound.removeValue(forKey: kc)
                lastUse.removeValue(forKey: kc)
            }
        }
    }

    /// Makes every binding in `needed` present, evicting the least recently used bindings not in `needed` when
    /// no free keycode is left. Returns true when the keymap changed (the caller must re-read the layout).
    func ensure(_ needed: [SpareBinding], layout: KeyboardLayout) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        forgetOverwritten(layout)
        let present = Set(bound.values)
        var missing: [SpareBinding] = []
        for b in needed where !present.contains(b) && !missing.contains(b) { missing.append(b) }
        guard !missing.isEmpty else { return false }
        var free = layout.freeKeycodes
        let neededSet = Set(needed)
        var evictable = bound.filter { !neededSet.contains($0.value) }.map(\.key)
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
        if latestUseOfEvicted > 0 { Pause.until(latestUseOfEvicted + rebindSettle) }
        let target = try device ?? map.changeDevice()
        device = target
        journal?.update { r in
            r.spareDevice = target
            for (kc, binding) in changes {
                r.spareKeys[kc] = binding.map { [$0.lower] + ($0.upper.map { [$0] } ?? []) }
            }
        }
        try map.apply(changes, device: target)
        changeCount += 1
        for (kc, binding) in changes {
            if let binding { bound[kc] = binding } else { bound.removeValue(forKey: kc) }
            lastUse.removeValue(forKey: kc)
        }
        try Pause.sleep(bindSettle, interruptible: false)
        return true
    }

    /// Records that a key typed with a binding on `keycode` was just sent.
    func markUsed(_ keycode: UInt8, at time: Double) {
        lock.lock()
        if bound[keycode] != nil { lastUse[keycode] = time }
        lock.unlock()
    }

    /// Removes every binding (after the settle time since its last use) in one keymap change.
    func restoreAll() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !bound.isEmpty, let target = device else {
            bound.removeAll()
            return
        }
        let latest = lastUse.values.max() ?? 0
        if latest > 0 { Pause.until(latest + rebindSettle) }
        var changes: [UInt8: SpareBinding?] = [:]
        for kc in bound.keys { changes[kc] = .some(nil) }
        let mine = bound
        bound.removeAll()
        lastUse.removeAll()
        // Only keys that still carry our symbols are cleared: a layout switch meanwhile may have reused them.
        try map.apply(changes, device: target, clearingOnlyIf: mine)
        journal?.update { r in
            r.spareKeys.removeAll()
            r.spareDevice = nil
        }
        changeCount += 1
    }
}
