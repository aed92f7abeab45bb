import DeskCore
import Foundation
import Synchronization

/// Types any Unicode text with XTest key events on whatever layout and group is active.
///
/// Each character is looked up in the XTEST device's keymap in the current group (key, level, and the
/// Shift / Level3 / Level5 keys that reach the level from the current lock state). Characters the group lacks
/// are bound to spare keycodes by ``SpareKeyBinder``, in batches as large as the free keycodes allow, and the
/// text is cut into segments so that each segment's missing characters fit at once. Modifiers are pressed
/// before the key and released after it, so the key's release carries the same keysym as its press.
final class TextTyper: Sendable {
    let map: KeyboardMap
    let binder: SpareKeyBinder
    let state: InputState
    var options: InputOptions {
        get { settings.withLock { $0 } }
        set { settings.withLock { $0 = newValue } }
    }
    private let settings: Mutex<InputOptions>

    init(map: KeyboardMap, binder: SpareKeyBinder, state: InputState, options: InputOptions) {
        self.map = map
        self.binder = binder
        self.state = state
        settings = Mutex(options)
    }

    /// One character to type: the keysyms that type it, and what to bind when the layout has none of them.
    struct Item {
        var scalar: Unicode.Scalar
        var keysyms: [UInt32]
        var binding: SpareBinding
    }

    /// Splits `text` into items; `\r\n` is one Return.
    static func items(for text: String, lookup: KeyboardLayout.Index) throws -> [Item] {
        var result: [Item] = []
        var cache: [Unicode.Scalar: Item] = [:]
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\r", index < scalars.count, scalars[index] == "\n" { continue }
            if let cached = cache[scalar] {
                result.append(cached)
                continue
            }
            if KeysymText.isUntypable(scalar) {
                throw InputError("cannot type the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded4) at position \(index) of the text (only \\n, \\r, \\t and backspace are keys)")
            }
            let item: Item
            if let control = KeysymText.controlKeysym(for: scalar) {
                item = Item(scalar: scalar, keysyms: [control], binding: SpareBinding(lower: control, upper: nil))
            } else {
                var keysyms = lookup.keysyms(typing: scalar)
                let own = KeysymText.keysymToBind(for: scalar)
                if !keysyms.contains(own) { keysyms.append(own) }
                let binding: SpareBinding
                if let pair = KeysymText.casePair(of: scalar) {
                    binding = SpareBinding(lower: KeysymText.keysymToBind(for: pair.lower),
                                           upper: KeysymText.keysymToBind(for: pair.upper))
                } else {
                    binding = SpareBinding(lower: own, upper: nil)
                }
                item = Item(scalar: scalar, keysyms: keysyms, binding: binding)
            }
            cache[scalar] = item
            result.append(item)
        }
        return result
    }

    /// How many characters are sent between two checks that the keyboard still goes to the same window.
    static let focusCheckInterval = 1

    /// Types `text`; on return (or error) no key is held and, unless bindings are kept, the keymap is restored.
    func type(_ text: String) throws {
        var layout = try map.layout()
        let keyboardState = map.state()
        var index = layout.index(state: keyboardState)
        let items = try Self.items(for: text, lookup: index)
        var strokeCache: [Unicode.Scalar: KeyStroke] = [:]
        let needsBinding: [Bool] = items.map { index.stroke(forAnyOf: $0.keysyms) == nil }
        defer {
            state.releaseAll()
            if !options.keepBindings { try? binder.restoreAll() }
        }
        let capacity = binder.capacity(layout)
        // Keys go wherever the focus is when they arrive: if another window takes it, stop (the policy
        // judged the window that had it). The check runs on a connection of its own so that it adds no
        // round trip to this one; XTest cannot make check and delivery atomic: at most the keys in flight
        // since the last check land.
        let watcher = try? X11Display(name: map.display.name)
        var watch = watcher.map { KeyboardTargetWatch(display: $0) }
        var start = 0
        while start < items.count {
            // The longest segment whose missing characters fit on the spare keys at once.
            var segmentBindings: [SpareBinding] = []
            var end = start
            while end < items.count {
                if needsBinding[end], !segmentBindings.contains(items[end].binding) {
                    if segmentBindings.count == capacity { break }
                    segmentBindings.append(items[end].binding)
                }
                end += 1
            }
            if end == start {
                throw EnvironmentError("display \(map.display.name): no spare keycode is free to type '\(String(items[start].scalar))' (the keymap has none)")
            }
            if try binder.ensure(segmentBindings, layout: layout) {
                layout = try map.layout()
                index = layout.index(state: keyboardState)
                strokeCache.removeAll()
            }
            for i in start..<end {
                try StopFlag.current.check()
                // A person took over: wait between two characters (nothing is held here), then re-read the
                // layout, which they may have switched meanwhile.
                if try PauseFlag.current.waitWhilePaused(stop: StopFlag.current) {
                    layout = try map.layout()
                    index = layout.index(state: keyboardState)
                    strokeCache.removeAll()
                }
                if let watcher, i > 0, i % Self.focusCheckInterval == 0 {
                    state.flush()
                    if watch?.moved() == true {
                        state.releaseAll()
                        throw FocusMoved(window: watcher.focusDescription(), typed: i, total: items.count)
                    }
                }
                let item = items[i]
                let stroke: KeyStroke
                if let cached = strokeCache[item.scalar] {
                    stroke = cached
                } else {
                    // The item's own keysyms include the one its binding put on the spare key.
                    guard let found = index.stroke(forAnyOf: item.keysyms) else {
                        throw InputError("cannot type '\(String(item.scalar))' (U+\(String(item.scalar.value, radix: 16, uppercase: true).leftPadded4)): no key reaches it in the current keyboard state (a modifier held elsewhere?)")
                    }
                    stroke = found
                    strokeCache[item.scalar] = found
                }
                send(stroke)
                if needsBinding[i] { binder.markUsed(stroke.keycode, at: Pause.now()) }
                if options.keyDelay > 0 { try Pause.sleep(options.keyDelay) }
            }
            map.display.sync()
            start = end
        }
    }

    /// Modifiers down, key down, key up, modifiers up (reverse), flushed.
    func send(_ stroke: KeyStroke) {
        for m in stroke.modifierKeys { state.key(m, down: true) }
        state.key(stroke.keycode, down: true)
        state.key(stroke.keycode, down: false)
        for m in stroke.modifierKeys.reversed() { state.key(m, down: false) }
        state.flush()
    }
}

extension X11Display {
    /// The window that has the keyboard now, as `0x… 'title' (class)`, for "focus moved" denials.
    func focusDescription() -> String {
        let now = focusedWindow()
        let info = now.flatMap { id in windows().first { $0.id == id } }
        let name = info.map { "\($0.hexID) '\($0.title)' (\($0.className.isEmpty ? $0.instance : $0.className))" }
        return name ?? now.map { "window 0x\(String($0, radix: 16))" } ?? "no window"
    }
}

extension String {
    /// At least four characters, zero-padded on the left (`20AC`, `00E9`).
    var leftPadded4: String { count >= 4 ? self : String(repeating: "0", count: 4 - count) + self }
}
